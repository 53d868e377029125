package com.landbot.router.ingest;

import com.landbot.router.ingest.IngestResult.Accepted;
import com.landbot.router.ingest.IngestResult.Unavailable;
import com.landbot.router.shared.Log;
import com.landbot.router.shared.Message;
import com.landbot.router.shared.MessageQueue;
import com.landbot.router.shared.MessageRepository;
import com.landbot.router.shared.QueuedMessage;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Accepts a bot's request: validate, store, enqueue. A 2xx answer promises the message is stored
 * and on the queue, so the steps run in an order where every failure leaves the truth behind:
 * <ol>
 *   <li>store it PENDING (failure: nothing exists, caller retries);</li>
 *   <li>send it to SQS (failure: the PENDING item is deleted, caller retries);</li>
 *   <li>mark it QUEUED (failure: it is queued all the same and the dispatcher takes it from PENDING,
 *       so the caller is told it was accepted).</li>
 * </ol>
 */
public final class IngestService {

    private final RequestValidator validator;
    private final MessageRepository repository;
    private final MessageQueue queue;
    private final Clock clock;
    private final Supplier<String> ids;

    public IngestService(RequestValidator validator, MessageRepository repository, MessageQueue queue,
                         Clock clock, Supplier<String> ids) {
        this.validator = validator;
        this.repository = repository;
        this.queue = queue;
        this.clock = clock;
        this.ids = ids;
    }

    public IngestResult accept(RawRequest raw) {
        RequestValidator.Validated validated = validator.validate(raw);
        if (validated.rejection() != null) {
            Log.info("message.rejected", "reason", validated.rejection().reason(), "error", validated.rejection().error());
            return validated.rejection();
        }
        IngestRequest request = validated.request();
        Instant now = now();
        Message pending = Message.pending(ids.get(), request.topic(), request.channel(), request.description(), now);

        try {
            repository.create(pending);
        } catch (SdkException e) {
            Log.error("message.store_failed", "messageId", pending.id(), "cause", e);
            return new Unavailable("Could not store the message; nothing was kept. Retry later.");
        }

        try {
            queue.enqueue(QueuedMessage.of(pending));
        } catch (SdkException e) {
            Log.error("message.enqueue_failed", "messageId", pending.id(), "cause", e);
            discard(pending.id());
            return new Unavailable("Could not queue the message; nothing was kept. Retry later.");
        }

        Instant queuedAt = now();
        try {
            if (!repository.markQueued(pending.id(), queuedAt)) {
                Log.info("message.queued_mark_skipped", "messageId", pending.id(), "why", "dispatcher already moved it on");
            }
        } catch (SdkException e) {
            // It is on the queue and will be delivered; the dispatcher claims PENDING messages too.
            Log.warn("message.queued_mark_failed", "messageId", pending.id(), "cause", e);
        }
        Log.info("message.accepted", "messageId", pending.id(), "topic", pending.topic(), "channel", pending.channel());
        return new Accepted(pending.queued(queuedAt));
    }

    public Optional<Message> find(String id) {
        return repository.find(id);
    }

    private void discard(String id) {
        try {
            repository.deleteUnqueued(id);
        } catch (SdkException e) {
            // Left PENDING, which tells the truth: never queued. The caller was told to retry.
            Log.error("message.discard_failed", "messageId", id, "cause", e);
        }
    }

    /** Millisecond precision: what DynamoDB stores is what the caller was told. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
