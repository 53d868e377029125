package com.landbot.router.dispatch;

import com.landbot.router.shared.Destination;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Spaces sends per destination (a target's {@link Destination}: one Slack webhook, the SES account). Slack takes
 * about one message per second per webhook and answers bursts with 429s; sending at its pace, and holding back for
 * its Retry-After when it still says 429, keeps a burst of sales messages from turning into a storm of 429s and
 * spent retries, while topics on other webhooks go on. One per container: with the event source's maximum
 * concurrency this bounds the total rate.
 */
public final class Pacer {

    private final Map<String, Duration> minimumIntervalByChannel;
    private final Map<Destination, Instant> nextSlot = new HashMap<>();

    /** @param minimumIntervalByChannel the gap between two sends to one destination, by channel name */
    public Pacer(Map<String, Duration> minimumIntervalByChannel) {
        this.minimumIntervalByChannel = Map.copyOf(minimumIntervalByChannel);
    }

    public static Pacer unpaced() {
        return new Pacer(Map.of());
    }

    /** The earliest time the destination may be sent to. */
    public synchronized Instant nextSlot(Destination destination, Instant now) {
        Instant slot = nextSlot.get(destination);
        return slot == null || slot.isBefore(now) ? now : slot;
    }

    /** Records a send at {@code at}: the next may follow after the channel's interval. */
    public synchronized void sent(Destination destination, Instant at) {
        Duration interval = minimumIntervalByChannel.get(destination.channel());
        if (interval != null) {
            nextSlot.merge(destination, at.plus(interval), (a, b) -> a.isAfter(b) ? a : b);
        }
    }

    /** The destination asked us to wait (a 429's Retry-After). */
    public synchronized void pause(Destination destination, Instant until) {
        nextSlot.merge(destination, until, (a, b) -> a.isAfter(b) ? a : b);
    }
}
