package com.landbot.router.shared;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A customer's request for help, as stored in the messages table.
 *
 * @param id          our id (a UUID); it travels in the SQS body because a redriven SQS message gets a new SQS id
 * @param topic       normalised (lower-case) topic the bot sent
 * @param channel     name of the channel the routing table chose when the message was accepted
 * @param description the customer's text, trimmed
 * @param attempts    real delivery attempts made so far: waiting for a rate limit (a pacing slot, a 429, a
 *                    throttled call) is not one
 * @param lastError   why the latest attempt failed, if it did; never contains secrets
 * @param deliveryId  the channel's id for the delivery (SES MessageId, ...), once sent
 * @param waiting     the send slot this message holds at its destination while it waits for it (rate limiting,
 *                    not failure), or null
 * @param history     the latest delivery attempts, oldest first (at most {@value DeliveryAttempt#HISTORY_LIMIT})
 * @param retryRequestedAt when an operator last put it back on the queue from ERROR ({@code POST /messages/{id}/retry})
 */
public record Message(
        String id,
        String topic,
        String channel,
        String description,
        MessageStatus status,
        int attempts,
        Instant createdAt,
        Instant updatedAt,
        Instant queuedAt,
        Instant sentAt,
        String lastError,
        String deliveryId,
        Waiting waiting,
        List<DeliveryAttempt> history,
        Instant retryRequestedAt) {

    /**
     * Back-pressure, not failure: the message holds the send slot {@code nextAttemptAt} at {@code destination}
     * (booked in the shared pacing table) and comes back for it then. Shown by {@code GET /messages/{id}}.
     *
     * @param destination the rate-limited receiver, e.g. {@code slack:landbot-router/slack/sales}, {@code email:ses}
     */
    public record Waiting(String destination, Instant nextAttemptAt) {
        public Waiting {
            Objects.requireNonNull(destination, "destination");
            Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        }
    }

    /** A message that is not waiting for a slot. */
    public Message(String id, String topic, String channel, String description, MessageStatus status, int attempts,
                   Instant createdAt, Instant updatedAt, Instant queuedAt, Instant sentAt, String lastError, String deliveryId) {
        this(id, topic, channel, description, status, attempts, createdAt, updatedAt, queuedAt, sentAt, lastError, deliveryId, null);
    }

    /** Without attempt history and retry: as before its first attempt. */
    public Message(String id, String topic, String channel, String description, MessageStatus status, int attempts,
                   Instant createdAt, Instant updatedAt, Instant queuedAt, Instant sentAt, String lastError, String deliveryId,
                   Waiting waiting) {
        this(id, topic, channel, description, status, attempts, createdAt, updatedAt, queuedAt, sentAt, lastError,
                deliveryId, waiting, List.of(), null);
    }

    public Message {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        history = history == null ? List.of() : List.copyOf(history);
    }

    /** A freshly accepted message, not yet on the queue. */
    public static Message pending(String id, String topic, String channel, String description, Instant now) {
        return new Message(id, topic, channel, description, MessageStatus.PENDING, 0, now, now, null, null, null, null);
    }

    /** The same message delivered through another channel: its topic was re-routed after it was accepted. */
    public Message withChannel(String newChannel) {
        return new Message(id, topic, newChannel, description, status, attempts, createdAt, updatedAt, queuedAt, sentAt, lastError, deliveryId,
                waiting, history, retryRequestedAt);
    }

    public Message queued(Instant at) {
        return new Message(id, topic, channel, description, MessageStatus.QUEUED, attempts, createdAt, at, at, sentAt, lastError, deliveryId,
                waiting, history, retryRequestedAt);
    }
}
