package com.landbot.router.shared;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One delivery attempt, as the message's history keeps it ({@link Message#history()}): what an operator reads to see
 * why a message is where it is. Written by the dispatcher in the same conditional update that records the attempt's
 * outcome, so history and status never disagree.
 *
 * @param at          when the attempt started
 * @param channel     the channel it went through
 * @param destination who or where, by name: a Slack route's webhook secret name, email recipients; never a webhook
 *                    URL. Null when the attempt ended before a destination was known (an unrouted topic)
 * @param outcome     what came of it
 * @param error       why it failed (the text recorded as {@code lastError}), or null when sent
 * @param duration    how long the channel took to answer
 * @param deliveryId  the channel's id for the delivery (SES MessageId), or null
 */
public record DeliveryAttempt(Instant at, String channel, String destination, Outcome outcome, String error,
                              Duration duration, String deliveryId) {

    /** How many attempts a message keeps: the latest ones; older ones are dropped (the count stays in {@code attempts}). */
    public static final int HISTORY_LIMIT = 20;
    /** Errors are cut to this length in the history: a channel's error body must not grow the item without bound. */
    static final int ERROR_LIMIT = 500;

    /** The closed set of what an attempt can come to. */
    public enum Outcome {
        /** The channel accepted the message. */
        SENT,
        /** The channel said to slow down (Slack's 429 with Retry-After): back-pressure, retried. */
        RATE_LIMITED,
        /** Failed in a way that may pass (5xx, timeout, network): retried after a backoff. */
        RETRYABLE_FAILURE,
        /** Failed in a way retries cannot fix (revoked webhook, rejected address): ERROR until an operator acts. */
        PERMANENT_FAILURE
    }

    public DeliveryAttempt {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(outcome, "outcome");
        duration = duration == null || duration.isNegative() ? Duration.ZERO : duration;
        error = error == null || error.length() <= ERROR_LIMIT ? error : error.substring(0, ERROR_LIMIT - 1) + "…";
    }

    /**
     * A route's destination by name: the target's settings (secret names, recipients) joined. Targets hold names of
     * secrets, never the secrets themselves, so nothing here is a webhook URL.
     */
    public static String destinationOf(Route route) {
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, Object> setting : route.target().settings().entrySet()) {
            if (setting.getValue() instanceof List<?> values) {
                values.forEach(value -> names.add(String.valueOf(value)));
            } else {
                names.add(String.valueOf(setting.getValue()));
            }
        }
        return names.isEmpty() ? null : String.join(", ", names);
    }

    /** {@code history} with {@code attempt} added at the end, keeping the latest {@value #HISTORY_LIMIT}. */
    public static List<DeliveryAttempt> append(List<DeliveryAttempt> history, DeliveryAttempt attempt) {
        List<DeliveryAttempt> all = new ArrayList<>(history == null ? List.of() : history);
        all.add(attempt);
        return List.copyOf(all.subList(Math.max(0, all.size() - HISTORY_LIMIT), all.size()));
    }
}
