package com.landbot.router.shared;

import java.util.Optional;

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

    /**
     * The route of a topic as the bot sent it: from {@link #current()}, or, when that does not know the topic, from
     * {@link #fresh()} (a topic added a moment ago through another container, whose cache knew it first).
     */
    default Optional<Route> route(String topic) {
        Optional<Route> cached = current().route(topic);
        return cached.isPresent() ? cached : fresh().route(topic);
    }

    /**
     * The route of one topic read from the table now, whatever the cache holds (a single-item read, not the
     * rate-limited Scan of {@link #fresh()}): for a topic ingest accepted, before a message on it is failed as not
     * routed. Empty only when the table itself has no such topic.
     */
    default Optional<Route> lookup(String topic) {
        return fresh().route(topic);
    }
}
