package com.landbot.router.shared;

/** Where a function gets its routes: {@link CachedRoutes} in the functions, a fixed table or a lambda in tests. */
@FunctionalInterface
public interface RouteSource {

    /** The routes, possibly a few seconds old. */
    RoutingTable current();

    /**
     * The routes read again now (at most every few seconds), for a topic {@link #current()} does not know: it may
     * have been added a moment ago through another container.
     */
    default RoutingTable fresh() {
        return current();
    }
}
