package com.landbot.router.ingest;

import com.landbot.router.shared.Message;
import java.time.Instant;

/**
 * A message as the API shows it. The description is left out: the API answers status questions,
 * and echoing customer text back widens where it can leak.
 */
public record MessageView(
        String id,
        String topic,
        String channel,
        String status,
        int attempts,
        String createdAt,
        String updatedAt,
        String queuedAt,
        String sentAt,
        String lastError,
        String deliveryId,
        String waitingFor,
        String nextAttemptAt) {

    public static MessageView of(Message m) {
        return new MessageView(m.id(), m.topic(), m.channel(), m.status().name(), m.attempts(),
                text(m.createdAt()), text(m.updatedAt()), text(m.queuedAt()), text(m.sentAt()),
                m.lastError(), m.deliveryId(),
                m.waiting() == null ? null : m.waiting().destination(),
                m.waiting() == null ? null : text(m.waiting().nextAttemptAt()));
    }

    /** The 202 body: what a bot needs to follow up. */
    public record Receipt(String id, String topic, String channel, String status, String createdAt) {
        public static Receipt of(Message m) {
            return new Receipt(m.id(), m.topic(), m.channel(), m.status().name(), text(m.createdAt()));
        }
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
