package com.landbot.router.dispatch;

import com.landbot.router.shared.Destination;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link Pacer} in one JVM: the pacing table's rules on a map. What unit tests use, checked against the same
 * contract as {@link DynamoDbPacer}; it paces only the dispatchers that share this object.
 */
public final class InMemoryPacer implements Pacer {

    private final Map<Destination, Instant> nextFree = new HashMap<>();

    @Override
    public synchronized Instant book(Destination destination, Duration interval, Instant now) {
        if (interval.isZero() || interval.isNegative()) {
            return now;
        }
        Instant free = nextFree.get(destination);
        Instant slot = free == null || free.isBefore(now) ? now : free;
        nextFree.put(destination, slot.plus(interval));
        return slot;
    }

    @Override
    public synchronized void pause(Destination destination, Instant until) {
        nextFree.merge(destination, until, (a, b) -> a.isAfter(b) ? a : b);
    }
}
