package com.landbot.router.shared;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A value read from a store at most once per {@code ttl}, with one failure policy for every such cache (routes,
 * webhook secrets, Slack webhook URLs): when a refresh fails, the last good value stays in use and the read is
 * tried again after {@code retryAfterFailure}, not on every call (an outage of the store should not stop what
 * worked a minute ago, nor be hammered); only when nothing was ever read does the failure reach the caller.
 * Thread-safe; a read runs under the lock, so a burst of callers makes one read.
 */
public final class Refreshing<T> {

    private final String name;
    private final Supplier<? extends T> read;
    private final Clock clock;
    private final Duration ttl;
    private final Duration retryAfterFailure;
    private T value;
    private Instant readAt;
    private Instant retryAt;

    /**
     * @param name the log's name for what is cached (never a value: values may be secrets)
     * @param read reads the value; any RuntimeException is a failed read
     */
    public Refreshing(String name, Supplier<? extends T> read, Clock clock, Duration ttl, Duration retryAfterFailure) {
        this.name = Objects.requireNonNull(name, "name");
        this.read = Objects.requireNonNull(read, "read");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.retryAfterFailure = Objects.requireNonNull(retryAfterFailure, "retryAfterFailure");
    }

    /** The value, read again once it is {@code ttl} old. */
    public T get() {
        return get(ttl);
    }

    /**
     * The value, read again if it is {@code maxAge} old or older (a caller that needs a newer one than the TTL
     * gives, say for a topic not seen yet, passes a shorter age; a longer one than the TTL counts as the TTL).
     *
     * @throws RuntimeException what the read threw, when no value was ever read
     */
    public synchronized T get(Duration maxAge) {
        Instant now = clock.instant();
        Duration age = maxAge.compareTo(ttl) < 0 ? maxAge : ttl;
        if (value != null && (now.isBefore(readAt.plus(age)) || retryAt != null && now.isBefore(retryAt))) {
            return value;
        }
        try {
            value = read.get();
            readAt = now;
            retryAt = null;
            return value;
        } catch (RuntimeException e) {
            if (value == null) {
                throw e;
            }
            retryAt = now.plus(retryAfterFailure);
            Log.warn("cache.refresh_failed", "cache", name, "using", "the value read at " + readAt,
                    "retryAt", retryAt.toString(), "cause", e);
            return value;
        }
    }

    /** The value last read, without reading: null if none was. */
    public synchronized T lastRead() {
        return value;
    }

    /**
     * Marks the value stale, keeping it: the next get reads the store, and keeps this value if that read fails
     * (the store was seen to hold something newer).
     */
    public synchronized void expire() {
        if (value != null) {
            readAt = Instant.EPOCH;
            retryAt = null;
        }
    }

    /** Forgets the value: the next get reads the store (after a change this container made itself). */
    public synchronized void invalidate() {
        value = null;
        readAt = null;
        retryAt = null;
    }
}
