package com.landbot.router.shared;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The routing table as both functions see it: the topics table, read at most once per {@code ttl} per container.
 * A routing change therefore reaches every container within one TTL, without a deployment, for one small Scan per
 * container per TTL, and a topic not known yet is looked up again at once ({@link #fresh()}). When a refresh fails,
 * the last table read stays in use (a DynamoDB hiccup should not stop
 * deliveries on routes that worked a minute ago); only a container that has never read it fails.
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
    private final Clock clock;
    private final Duration ttl;
    private RoutingTable table;
    private Instant readAt;

    public CachedRoutes(RouteStore store, Clock clock, Duration ttl) {
        this.store = store;
        this.clock = clock;
        this.ttl = ttl;
    }

    /** TTL from {@code ROUTES_CACHE_SECONDS}, else {@link #DEFAULT_TTL}. */
    public static CachedRoutes fromEnvironment(Map<String, String> env, RouteStore store, Clock clock) {
        String seconds = Settings.optional(env, "ROUTES_CACHE_SECONDS", null);
        return new CachedRoutes(store, clock, seconds == null ? DEFAULT_TTL : Duration.ofSeconds(Long.parseLong(seconds)));
    }

    /** @throws SdkException when the table cannot be read and no earlier copy exists */
    @Override
    public synchronized RoutingTable current() {
        return readIfOlderThan(ttl);
    }

    /** @throws SdkException when the table cannot be read and no earlier copy exists */
    @Override
    public synchronized RoutingTable fresh() {
        return readIfOlderThan(MIN_FRESH_INTERVAL.compareTo(ttl) < 0 ? MIN_FRESH_INTERVAL : ttl);
    }

    private RoutingTable readIfOlderThan(Duration age) {
        Instant now = clock.instant();
        if (table != null && now.isBefore(readAt.plus(age))) {
            return table;
        }
        try {
            table = RoutingTable.of(store.all());
            readAt = now;
        } catch (SdkException e) {
            if (table == null) {
                throw e;
            }
            Log.warn("routes.refresh_failed", "cause", e, "using", "routes read at " + readAt);
            // Try again soon, not on every message: the stale table serves for a fifth of the TTL more.
            readAt = now.minus(ttl).plus(ttl.dividedBy(5));
        }
        return table;
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
        if (found.isPresent()) {
            synchronized (this) {
                if (table != null && table.route(topic).isEmpty()) {
                    readAt = Instant.EPOCH;
                }
            }
        }
        return found;
    }

    /** Forgets the cached table: the next read goes to the store (after a change made by this container). */
    public synchronized void invalidate() {
        table = null;
        readAt = null;
    }
}
