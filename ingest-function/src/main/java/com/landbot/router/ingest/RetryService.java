package com.landbot.router.ingest;

import com.landbot.router.shared.Log;
import com.landbot.router.shared.Message;
import com.landbot.router.shared.MessagePage;
import com.landbot.router.shared.MessageQueue;
import com.landbot.router.shared.MessageRepository;
import com.landbot.router.shared.MessageSelection;
import com.landbot.router.shared.MessageStatus;
import com.landbot.router.shared.Metrics;
import com.landbot.router.shared.QueuedMessage;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * An operator's retry of messages in ERROR ({@code POST /messages/{id}/retry}, {@code POST /messages/retry}): each is
 * moved ERROR -> QUEUED by a conditional write, then put on the queue, its history and attempt count kept. Of
 * concurrent or repeated retries of one message, only the one whose write moved it puts it on the queue; the others
 * see it queued and answer as the first did. The dispatcher's claim is what makes a second copy harmless (the
 * message's copy still in the dead-letter queue, redriven later, finds it SENT and is acknowledged without a send).
 */
public final class RetryService {

    /** The most messages one bulk request retries: each costs a conditional write and an SQS send within the API's time. */
    public static final int MAX_BULK = 100;
    public static final int DEFAULT_BULK = 25;

    /** What came of retrying one message. */
    public sealed interface Outcome {
        /** Moved to QUEUED and put on the queue by this request. */
        record Queued(Message message) implements Outcome {
        }

        /** Already back on its way from an earlier retry (QUEUED, SENDING): nothing more was queued. */
        record AlreadyRetrying(Message message) implements Outcome {
        }

        /** Not in ERROR (or its final attempt is still running): there is nothing to retry. */
        record NotRetryable(Message message, String why) implements Outcome {
        }

        record NotFound() implements Outcome {
        }
    }

    /**
     * One page of a bulk retry.
     *
     * @param queued     messages this request put back on the queue
     * @param skipped    ERROR messages of the page that changed meanwhile (retried by someone else, or a final
     *                   attempt still running)
     * @param examined   ERROR messages looked at (topic filter included): at most the request's limit
     * @param nextCursor where the next page starts, or null when the selection is exhausted
     */
    public record BulkOutcome(List<String> queued, int skipped, int examined, String nextCursor) {
    }

    private final MessageRepository repository;
    private final MessageQueue queue;
    private final Clock clock;
    private final Metrics metrics;

    public RetryService(MessageRepository repository, MessageQueue queue, Clock clock, Metrics metrics) {
        this.repository = repository;
        this.queue = queue;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** @throws SdkException when the table or queue failed; nothing is left reading QUEUED that is not queued */
    public Outcome retry(String id) {
        Optional<Message> found = repository.find(id);
        if (found.isEmpty()) {
            return new Outcome.NotFound();
        }
        return retry(found.get(), "single");
    }

    /**
     * Retries the ERROR messages {@code selection} includes, one page of at most {@code limit} examined.
     *
     * @throws IllegalArgumentException for a cursor this listing did not give out
     */
    public BulkOutcome retryAll(MessageSelection selection, int limit, String cursor) {
        MessagePage page = repository.listByStatus(MessageStatus.ERROR, selection, limit, cursor);
        List<String> queued = new ArrayList<>();
        int skipped = 0;
        for (Message message : page.messages()) {
            if (retry(message, "bulk") instanceof Outcome.Queued) {
                queued.add(message.id());
            } else {
                skipped++;
            }
        }
        Log.info("retry.bulk", "topic", selection.topic(), "createdFrom", text(selection.createdFrom()),
                "createdTo", text(selection.createdTo()), "queued", queued.size(), "skipped", skipped,
                "morePages", page.nextCursor() != null);
        return new BulkOutcome(queued, skipped, page.messages().size(), page.nextCursor());
    }

    private Outcome retry(Message message, String how) {
        if (message.status() != MessageStatus.ERROR) {
            return refused(message);
        }
        // Stored at millisecond precision: the value the withdrawal below compares with must be the stored one.
        Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        if (!repository.requestRetry(message.id(), at)) {
            return repository.find(message.id()).map(this::refused).orElseGet(Outcome.NotFound::new);
        }
        try {
            queue.enqueue(QueuedMessage.of(message));
        } catch (SdkException e) {
            boolean withdrawn = repository.withdrawRetry(message.id(), at);
            Log.error("retry.enqueue_failed", Log.about(message, MessageStatus.ERROR, "withdrawn", withdrawn, "cause", e));
            throw e;
        }
        Log.info("retry.requested", Log.about(message, MessageStatus.QUEUED, "how", how, "previousError", message.lastError()));
        metrics.emit(Map.of("Channel", message.channel()), Map.of("messageId", message.id(), "topic", message.topic()),
                Metrics.Value.count("RetryRequested"));
        return new Outcome.Queued(repository.find(message.id()).orElse(message));
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private Outcome refused(Message current) {
        Outcome outcome = switch (current.status()) {
            case PENDING, QUEUED, SENDING -> current.retryRequestedAt() != null
                    ? new Outcome.AlreadyRetrying(current)
                    : new Outcome.NotRetryable(current, "the message is " + current.status() + ", not ERROR: it is on its way");
            case SENT -> new Outcome.NotRetryable(current, "the message is SENT: it was delivered"
                    + (current.sentAt() == null ? "" : " at " + current.sentAt()));
            case ERROR -> new Outcome.NotRetryable(current,
                    "its final delivery attempt is still running; retry when it has ended");
        };
        if (outcome instanceof Outcome.NotRetryable refused) {
            Log.info("retry.refused", Log.about(current, "why", refused.why()));
        }
        return outcome;
    }
}
