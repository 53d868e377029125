package com.landbot.router.ingest;

import com.landbot.router.ingest.IngestResult.Accepted;
import com.landbot.router.ingest.IngestResult.Reason;
import com.landbot.router.ingest.IngestResult.Rejected;
import com.landbot.router.ingest.IngestResult.Replayed;
import com.landbot.router.ingest.IngestResult.Unavailable;
import com.landbot.router.ingest.idempotency.IdempotencyKey;
import com.landbot.router.ingest.idempotency.IdempotencyStore;
import com.landbot.router.ingest.idempotency.IdempotencyStore.KeyClaim;
import com.landbot.router.shared.Json;
import com.landbot.router.shared.Log;
import com.landbot.router.shared.Message;
import com.landbot.router.shared.MessagePage;
import com.landbot.router.shared.MessageQueue;
import com.landbot.router.shared.Metrics;
import com.landbot.router.shared.MessageRepository;
import com.landbot.router.shared.MessageStatus;
import com.landbot.router.shared.QueuedMessage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
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
 *
 * <p>With an {@code Idempotency-Key}, the key is claimed (a conditional write) after validation and before step 1,
 * so two concurrent requests with one key create one message; the answer is recorded with the key, and a later
 * request with the key and the same content gets it back. A failure of ours (503) releases the key, so the bot's
 * retry is processed afresh.
 */
public final class IngestService {

    private final RequestValidator validator;
    private final MessageRepository repository;
    private final MessageQueue queue;
    private final Clock clock;
    private final Supplier<String> ids;
    private final IdempotencyStore idempotency;
    private final Metrics metrics;

    public IngestService(RequestValidator validator, MessageRepository repository, MessageQueue queue,
                         Clock clock, Supplier<String> ids, IdempotencyStore idempotency, Metrics metrics) {
        this.metrics = metrics;
        this.validator = validator;
        this.repository = repository;
        this.queue = queue;
        this.clock = clock;
        this.ids = ids;
        this.idempotency = idempotency;
    }

    /** Metrics to standard output (EMF). */
    public IngestService(RequestValidator validator, MessageRepository repository, MessageQueue queue,
                         Clock clock, Supplier<String> ids, IdempotencyStore idempotency) {
        this(validator, repository, queue, clock, ids, idempotency, Metrics.standardOutput("ingest"));
    }

    /** Without idempotency: keys are accepted and ignored (see {@link IdempotencyStore#disabled()}). */
    public IngestService(RequestValidator validator, MessageRepository repository, MessageQueue queue,
                         Clock clock, Supplier<String> ids) {
        this(validator, repository, queue, clock, ids, IdempotencyStore.disabled());
    }

    public IngestResult accept(RawRequest raw) {
        String key = raw.idempotencyKey();
        if (key != null && !IdempotencyKey.isValid(key)) {
            return rejected(new Rejected(Reason.INVALID_REQUEST, "Idempotency-Key is invalid",
                    List.of("Idempotency-Key must be 1 to " + IdempotencyKey.MAX_LENGTH
                            + " visible ASCII characters (no spaces), e.g. a UUID")));
        }
        RequestValidator.Validated validated = validator.validate(raw);
        if (validated.rejection() != null) {
            return rejected(validated.rejection());
        }
        IngestRequest request = validated.request();
        return key == null ? store(request) : storeOnce(key, request);
    }

    private IngestResult storeOnce(String key, IngestRequest request) {
        String hash = requestHash(request);
        KeyClaim claim;
        try {
            claim = idempotency.claim(key, hash, clock.instant());
        } catch (SdkException e) {
            Log.error("idempotency.claim_failed", "cause", e);
            return new Unavailable("Could not check the Idempotency-Key; nothing was kept. Retry later.");
        }
        // The key itself is the caller's and is not logged; its claim outcome is.
        return switch (claim) {
            case KeyClaim.Completed completed when !completed.requestHash().equals(hash) -> keyReused();
            case KeyClaim.InFlight inFlight when !inFlight.requestHash().equals(hash) -> keyReused();
            case KeyClaim.Completed completed -> {
                Log.info("message.replayed", "messageId", completed.response().messageId());
                yield new Replayed(completed.response());
            }
            case KeyClaim.InFlight inFlight -> rejected(new Rejected(Reason.IDEMPOTENCY_KEY_IN_FLIGHT,
                    "A request with this Idempotency-Key is in progress", List.of("retry in a few seconds to get its answer")));
            case KeyClaim.Claimed claimed -> storeClaimed(key, claimed.token(), request);
        };
    }

    private IngestResult storeClaimed(String key, String token, IngestRequest request) {
        IngestResult result;
        try {
            result = store(request);
        } catch (RuntimeException e) {
            release(key, token);
            throw e;
        }
        switch (result) {
            case Accepted accepted -> {
                Message message = accepted.message();
                try {
                    if (!idempotency.complete(key, token, accepted.response(), clock.instant())) {
                        Log.warn("idempotency.complete_skipped", "messageId", message.id(), "why", "claim no longer held");
                    }
                } catch (SdkException e) {
                    // The message is stored and queued: the 202 stands. The claim stays in flight until its lease
                    // ends; a retry after that would create a second message, which is the lesser harm.
                    Log.warn("idempotency.complete_failed", "messageId", message.id(), "cause", e);
                }
            }
            case Unavailable unavailable -> release(key, token);
            default -> {
            }
        }
        return result;
    }

    private void release(String key, String token) {
        try {
            idempotency.release(key, token);
        } catch (SdkException e) {
            Log.warn("idempotency.release_failed", "cause", e, "why", "the key stays blocked until its lease ends");
        }
    }

    private Rejected keyReused() {
        return rejected(new Rejected(Reason.IDEMPOTENCY_KEY_REUSED, "Idempotency-Key was already used for a different request",
                List.of("use a new Idempotency-Key for a new message; reuse a key only to retry the identical request")));
    }

    /** Every rejection is logged and counted by reason, the same way. */
    private Rejected rejected(Rejected rejection) {
        Log.info("message.rejected", "reason", rejection.reason(), "error", rejection.error());
        metrics.emit(Map.of("Reason", rejection.reason().name()), Map.of(), Metrics.Value.count("Rejected"));
        return rejection;
    }

    /**
     * SHA-256 (hex) of the validated request: normalised topic and trimmed description, as a JSON array. A retry
     * that differs only in JSON formatting, key order, extra fields or surrounding spaces is the same request.
     */
    static String requestHash(IngestRequest request) {
        try {
            byte[] canonical = Json.write(List.of(request.topic(), request.description())).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    private IngestResult store(IngestRequest request) {
        Instant now = now();
        Message pending = Message.pending(ids.get(), request.topic(), request.channel(), request.description(), now);

        try {
            repository.create(pending);
        } catch (SdkException e) {
            Log.error("message.store_failed", Log.about(pending, "cause", e));
            return new Unavailable("Could not store the message; nothing was kept. Retry later.");
        }

        try {
            queue.enqueue(QueuedMessage.of(pending));
        } catch (SdkException e) {
            Log.error("message.enqueue_failed", Log.about(pending, "cause", e));
            discard(pending.id());
            return new Unavailable("Could not queue the message; nothing was kept. Retry later.");
        }

        Instant queuedAt = now();
        try {
            if (!repository.markQueued(pending.id(), queuedAt)) {
                Log.info("message.queued_mark_skipped", Log.about(pending, "why", "dispatcher already moved it on"));
            }
        } catch (SdkException e) {
            // It is on the queue and will be delivered; the dispatcher claims PENDING messages too.
            Log.warn("message.queued_mark_failed", Log.about(pending, "cause", e));
        }
        Message accepted = pending.queued(queuedAt);
        Log.info("message.accepted", Log.about(accepted));
        metrics.emit(Map.of(), Map.of("messageId", accepted.id(), "topic", accepted.topic(), "channel", accepted.channel()),
                Metrics.Value.count("Accepted"));
        return new Accepted(accepted);
    }

    /**
     * SnapStart warm-up: validates a sample request (JSON, routing), reads a message that does not exist (the SDK's
     * marshalling, signing, HTTP and unmarshalling path) and rehearses the writes a request makes (PutItem,
     * UpdateItem, SendMessage: built, marshalled, signed, not sent), storing and queuing nothing.
     */
    public void prime() {
        validator.validate(new RawRequest("application/json",
                "{\"topic\":\"sales\",\"description\":\"priming\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        Json.write(new MessageView.Receipt(com.landbot.router.shared.Priming.SAMPLE_ID, "sales", "slack", "QUEUED", clock.instant().toString()));
        repository.find(java.util.UUID.randomUUID().toString());
        // The request's writes, marshalled and signed but not sent: what the first POST would otherwise pay.
        repository.rehearseWrites();
        queue.rehearseEnqueue();
    }

    public Optional<Message> find(String id) {
        return repository.find(id);
    }

    /** How many messages are in each status now, every status listed. */
    public Map<MessageStatus, Long> countByStatus() {
        Map<MessageStatus, Long> counts = new java.util.EnumMap<>(MessageStatus.class);
        for (MessageStatus status : MessageStatus.values()) {
            counts.put(status, repository.countByStatus(status));
        }
        return counts;
    }

    /** @throws IllegalArgumentException for a cursor the listing did not give out */
    MessagePage list(ListQuery query) {
        return repository.listByStatus(query.status(), query.limit(), query.cursor());
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
