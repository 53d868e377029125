package com.landbot.router.ingest;

import com.landbot.router.shared.DeliveryAttempt;
import com.landbot.router.shared.Message;
import java.time.Instant;
import java.util.List;

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
        String nextAttemptAt,
        String retryRequestedAt,
        List<AttemptView> history) {

    /** What the bot sees: the status of its message, not how each attempt went (destinations are operators' business). */
    public static MessageView of(Message m) {
        return new MessageView(m.id(), m.topic(), m.channel(), m.status().name(), m.attempts(),
                text(m.createdAt()), text(m.updatedAt()), text(m.queuedAt()), text(m.sentAt()),
                m.lastError(), m.deliveryId(),
                m.waiting() == null ? null : m.waiting().destination(),
                m.waiting() == null ? null : text(m.waiting().nextAttemptAt()), null, null);
    }

    /** What an operator sees (admin credentials): the status and every recorded attempt, oldest first. */
    public static MessageView forOperator(Message m) {
        return new MessageView(m.id(), m.topic(), m.channel(), m.status().name(), m.attempts(),
                text(m.createdAt()), text(m.updatedAt()), text(m.queuedAt()), text(m.sentAt()),
                m.lastError(), m.deliveryId(),
                m.waiting() == null ? null : m.waiting().destination(),
                m.waiting() == null ? null : text(m.waiting().nextAttemptAt()),
                text(m.retryRequestedAt()), m.history().stream().map(AttemptView::of).toList());
    }

    /** One delivery attempt: outcome is SENT, RATE_LIMITED, RETRYABLE_FAILURE or PERMANENT_FAILURE. */
    public record AttemptView(String at, String channel, String destination, String outcome, String error,
                              long durationMs, String deliveryId) {
        static AttemptView of(DeliveryAttempt a) {
            return new AttemptView(text(a.at()), a.channel(), a.destination(), a.outcome().name(), a.error(),
                    a.duration().toMillis(), a.deliveryId());
        }
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
