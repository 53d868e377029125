package com.landbot.router.shared;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.Objects;

/**
 * The SQS message body. It carries our message id, not the content: the table is the one source of truth,
 * and a redriven SQS message gets a new SQS message id, so the SQS id cannot be the key. The channel rides
 * along so the dispatcher can pace a channel before it claims a message for it.
 */
public record QueuedMessage(String id, String topic, String channel) {

    public QueuedMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(channel, "channel");
    }

    public static QueuedMessage of(Message message) {
        return new QueuedMessage(message.id(), message.topic(), message.channel());
    }

    public String toJson() {
        return Json.write(this);
    }

    /** @throws IllegalArgumentException when the body is not a queued message (the caller reports that record alone) */
    public static QueuedMessage fromJson(String body) {
        try {
            QueuedMessage message = Json.MAPPER.readValue(body, QueuedMessage.class);
            if (message == null) {
                throw new IllegalArgumentException("SQS body is null, expected {\"id\":...,\"topic\":...,\"channel\":...}");
            }
            return message;
        } catch (JsonProcessingException | NullPointerException e) {
            throw new IllegalArgumentException("SQS body is not a queued message: " + e.getClass().getSimpleName(), e);
        }
    }
}
