package com.landbot.router.shared;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The routing table as both functions see it: the topics table, read at most once per {@code ttl} per container.
 * A routing change therefore reaches every container within one TTL, without a deployment, for one small Scan per
 * container per TTL, and a topic not known yet is looked up again at once ({@link #fresh()}). A failed refresh
 * keeps the last table read ({@link Refreshing}'s policy: a DynamoDB hiccup should not stop deliveries on routes
 * that worked a minute ago); only a container that has never read it fails.
 */
public final class CachedRoutes implements RouteSource {

    /** Short enough that an operator's change shows within a minute, long enough to cost nothing. */
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(30);
    /**
     * How often {@link #fresh()} may read the table: a new topic is found at once, and a caller sending unknown
     * topics cannot turn each request into a Scan.
     */
    static final Duration MIN_FRESH_INTERVAL = Duration.ofSeconds(5);

    private final RouteStore store;
    private final Refreshing<RoutingTable> table;

    public CachedRoutes(RouteStore store, Clock clock, Duration ttl) {
        this.store = store;
        // After a failed read the stale table serves for a fifth of the TTL more: tried again soon, not per message.
        this.table = new Refreshing<>("routes", () -> RoutingTable.of(store.all()), clock, ttl, ttl.dividedBy(5));
    }

    /** TTL from {@code ROUTES_CACHE_SECONDS}, else {@link #DEFAULT_TTL}. */
    public static CachedRoutes fromEnvironment(Map<String, String> env, RouteStore store, Clock clock) {
        String seconds = Settings.optional(env, "ROUTES_CACHE_SECONDS", null);
        return new CachedRoutes(store, clock, seconds == null ? DEFAULT_TTL : Duration.ofSeconds(Long.parseLong(seconds)));
    }

    /** @throws SdkException when the table cannot be read and no earlier copy exists */
    @Override
    public RoutingTable current() {
        return table.get();
    }

    /** @throws SdkException when the table cannot be read and no earlier copy exists */
    @Override
    public RoutingTable fresh() {
        return table.get(MIN_FRESH_INTERVAL);
    }

    /**
     * Reads one topic from the store now. When the table has a topic the cached copy lacks, that copy is behind:
     * the next {@link #current()} reads it again (keeping it in case that read fails).
     *
     * @throws SdkException when the table cannot be read
     */
    @Override
    public Optional<Route> lookup(String topic) {
        Optional<Route> found = store.find(RoutingTable.normalise(topic));
        RoutingTable cached = table.lastRead();
        if (found.isPresent() && cached != null && cached.route(topic).isEmpty()) {
            table.expire();
        }
        return found;
    }

    /** Forgets the cached table: the next read goes to the store (after a change made by this container). */
    public void invalidate() {
        table.invalidate();
    }
}
