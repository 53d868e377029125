package com.landbot.router.dispatch;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Spaces sends per channel. Slack takes about one message per second per webhook and answers bursts with 429s;
 * sending at its pace, and holding back for its Retry-After when it still says 429, keeps a burst of sales
 * messages from turning into a storm of 429s and spent retries. One per container: with the event source's
 * maximum concurrency this bounds the total rate.
 */
public final class Pacer {

    private final Map<String, Duration> minimumIntervals;
    private final Map<String, Instant> nextSlot = new HashMap<>();

    public Pacer(Map<String, Duration> minimumIntervals) {
        this.minimumIntervals = Map.copyOf(minimumIntervals);
    }

    public static Pacer unpaced() {
        return new Pacer(Map.of());
    }

    /** The earliest time the channel may be sent to. */
    public synchronized Instant nextSlot(String channel, Instant now) {
        Instant slot = nextSlot.get(channel);
        return slot == null || slot.isBefore(now) ? now : slot;
    }

    /** Records a send at {@code at}: the next may follow after the channel's interval. */
    public synchronized void sent(String channel, Instant at) {
        Duration interval = minimumIntervals.get(channel);
        if (interval != null) {
            nextSlot.merge(channel, at.plus(interval), (a, b) -> a.isAfter(b) ? a : b);
        }
    }

    /** The channel asked us to wait (a 429's Retry-After). */
    public synchronized void pause(String channel, Instant until) {
        nextSlot.merge(channel, until, (a, b) -> a.isAfter(b) ? a : b);
    }
}
