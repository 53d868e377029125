package com.landbot.router.shared;

import java.time.Instant;

/**
 * Which messages of one status a bulk operation takes: those of a topic, those accepted in a time range, or both.
 *
 * @param topic       lower-case topic, or null for every topic
 * @param createdFrom accepted at or after this instant, or null for no lower bound
 * @param createdTo   accepted before this instant, or null for no upper bound
 */
public record MessageSelection(String topic, Instant createdFrom, Instant createdTo) {

    public static MessageSelection all() {
        return new MessageSelection(null, null, null);
    }

    public boolean includes(Message message) {
        return (topic == null || topic.equals(message.topic()))
                && (createdFrom == null || !message.createdAt().isBefore(createdFrom))
                && (createdTo == null || message.createdAt().isBefore(createdTo));
    }
}
