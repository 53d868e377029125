package com.landbot.router.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.landbot.router.shared.Claim;
import com.landbot.router.shared.DeliveryAttempt;
import com.landbot.router.shared.Message;
import com.landbot.router.shared.MessageSelection;
import com.landbot.router.shared.MessageStatus;
import com.landbot.router.shared.Metrics;
import com.landbot.router.emulators.EmfDocument;
import com.landbot.router.emulators.InMemoryMessageRepository;
import com.landbot.router.emulators.MutableClock;
import com.landbot.router.emulators.RecordingMessageQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkException;

/** RetryService with in-memory fakes: the rules of an operator's retry, without emulators. */
class RetryServiceTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T09:00:00Z"));
    private final InMemoryMessageRepository repository = new InMemoryMessageRepository();
    private final RecordingMessageQueue queue = new RecordingMessageQueue();
    private final List<String> metricLines = new ArrayList<>();
    private final RetryService service = new RetryService(repository, queue, clock, new Metrics("ingest", clock, metricLines::add));

    private Message failed(String id, String topic, Instant createdAt) {
        DeliveryAttempt attempt = new DeliveryAttempt(createdAt, "slack", "landbot-router/slack/" + topic,
                DeliveryAttempt.Outcome.PERMANENT_FAILURE, "Slack answered 404 channel_not_found", Duration.ofMillis(40), null);
        Message message = new Message(id, topic, "slack", "help", MessageStatus.ERROR, 1, createdAt, createdAt, createdAt, null,
                attempt.error(), null, null, List.of(attempt), null);
        repository.put(message);
        return message;
    }

    @Test
    void anErrorMessageIsQueuedAgainWithItsHistoryAndAttemptsKeptAndARetryRequestedMetric() {
        failed("m1", "sales", clock.instant());

        RetryService.Outcome outcome = service.retry("m1");

        Message queued = assertInstanceOf(RetryService.Outcome.Queued.class, outcome).message();
        assertEquals(MessageStatus.QUEUED, queued.status());
        assertEquals(clock.instant(), queued.retryRequestedAt());
        assertEquals(1, queued.history().size());
        assertEquals(1, queued.attempts());
        assertEquals(List.of("m1"), queue.sent().stream().map(q -> q.id()).toList());
        assertEquals(1, metricLines.size());
        assertEquals(List.of(), EmfDocument.problems(metricLines.get(0)));
        assertTrue(metricLines.get(0).contains("\"RetryRequested\":1"), metricLines.get(0));
    }

    @Test
    void aSecondRetryWhileTheFirstIsOnItsWayAnswersAsTheFirstAndQueuesNothingMore() {
        failed("m1", "sales", clock.instant());
        service.retry("m1");

        assertInstanceOf(RetryService.Outcome.AlreadyRetrying.class, service.retry("m1"));
        assertEquals(1, queue.sent().size());
    }

    @Test
    void aMessageThatIsNotInErrorIsNotRetried() {
        Message pending = Message.pending("m1", "sales", "slack", "help", clock.instant()).queued(clock.instant());
        repository.put(pending);

        RetryService.Outcome.NotRetryable refused = assertInstanceOf(RetryService.Outcome.NotRetryable.class, service.retry("m1"));
        assertTrue(refused.why().contains("QUEUED"), refused.why());
        assertInstanceOf(RetryService.Outcome.NotFound.class, service.retry("nope"));
        assertEquals(List.of(), queue.sent());
    }

    @Test
    void aMessageWhoseFinalAttemptIsRunningIsNotRetriedUntilItEnds() {
        Message message = Message.pending("m1", "sales", "slack", "help", clock.instant()).queued(clock.instant());
        repository.put(message);
        // The final receive claims straight into ERROR and holds the lease while it sends.
        assertInstanceOf(Claim.Claimed.class, repository.claim("m1", clock.instant(), Duration.ofSeconds(120), true));
        assertEquals(MessageStatus.ERROR, repository.find("m1").orElseThrow().status());

        RetryService.Outcome.NotRetryable refused = assertInstanceOf(RetryService.Outcome.NotRetryable.class, service.retry("m1"));
        assertTrue(refused.why().contains("final delivery attempt is still running"), refused.why());
        assertEquals(List.of(), queue.sent());
    }

    @Test
    void whenTheQueueFailsTheMessageReadsErrorAgainAndTheFailureReachesTheCaller() {
        failed("m1", "sales", clock.instant());
        queue.fail = true;

        assertThrows(SdkException.class, () -> service.retry("m1"));

        Message after = repository.find("m1").orElseThrow();
        assertEquals(MessageStatus.ERROR, after.status(), "nothing reads QUEUED that is not on the queue");
        queue.fail = false;
        assertInstanceOf(RetryService.Outcome.Queued.class, service.retry("m1"), "and it can be retried again");
    }

    @Test
    void bulkRetryTakesOnlyTheSelectedTopicAndCountsWhatItQueued() {
        Instant t = clock.instant();
        failed("s1", "sales", t.minusSeconds(3));
        failed("s2", "sales", t.minusSeconds(2));
        failed("p1", "pricing", t.minusSeconds(1));

        RetryService.BulkOutcome outcome = service.retryAll(new MessageSelection("sales", null, null), 10, null);

        assertEquals(List.of("s2", "s1"), outcome.queued(), "newest first");
        assertEquals(0, outcome.skipped());
        assertEquals(MessageStatus.ERROR, repository.find("p1").orElseThrow().status());
        assertEquals(2, queue.sent().size());
    }
}
