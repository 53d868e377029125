package com.landbot.router.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.landbot.router.ingest.IngestResult.Accepted;
import com.landbot.router.emulators.TemplateDefinitions;
import com.landbot.router.ingest.IngestResult.Reason;
import com.landbot.router.ingest.IngestResult.Rejected;
import com.landbot.router.ingest.IngestResult.Replayed;
import com.landbot.router.ingest.idempotency.IdempotencyStore.KeyClaim;
import com.landbot.router.ingest.idempotency.InMemoryIdempotencyStore;
import com.landbot.router.shared.RoutingTable;
import com.landbot.router.emulators.InMemoryMessageRepository;
import com.landbot.router.emulators.RecordingMessageQueue;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** IngestService's Idempotency-Key handling with in-memory fakes: replay, conflict, in flight, failures. */
class IngestServiceIdempotencyTest {

    private static final Instant NOW = Instant.parse("2026-11-29T10:15:00.123Z");
    private static final String SALES = "{\"topic\":\"sales\",\"description\":\"Need a demo\"}";

    private final InMemoryMessageRepository repository = new InMemoryMessageRepository();
    private final RecordingMessageQueue queue = new RecordingMessageQueue();
    private final InMemoryIdempotencyStore keys = new InMemoryIdempotencyStore();
    private final IngestService service = new IngestService(new RequestValidator(RoutingTable.of(TemplateDefinitions.seedTopics())), repository, queue,
            Clock.fixed(NOW, ZoneOffset.UTC), () -> UUID.randomUUID().toString(), keys);

    private static RawRequest keyed(String body, String key) {
        return new RawRequest("application/json", body.getBytes(StandardCharsets.UTF_8), key);
    }

    @Test
    void replayReturnsTheOriginalReceiptAndEnqueuesNothingMore() {
        Accepted first = assertInstanceOf(Accepted.class, service.accept(keyed(SALES, "k")));
        Replayed replay = assertInstanceOf(Replayed.class, service.accept(keyed(SALES, "k")));
        assertEquals(202, replay.response().status());
        assertEquals(first.message().id(), replay.response().messageId());
        assertEquals(com.landbot.router.shared.Json.write(MessageView.Receipt.of(first.message())), replay.response().body());
        assertEquals(1, repository.all().size());
        assertEquals(1, queue.sent().size());
    }

    @Test
    void sameKeyOtherContentIsRejectedAsReused() {
        service.accept(keyed(SALES, "k"));
        Rejected rejected = assertInstanceOf(Rejected.class, service.accept(keyed("{\"topic\":\"sales\",\"description\":\"Other\"}", "k")));
        assertEquals(Reason.IDEMPOTENCY_KEY_REUSED, rejected.reason());
        assertEquals(1, queue.sent().size());
    }

    @Test
    void aRequestWhoseKeyIsStillInFlightIsToldToRetryAndOneWithOtherContentThatTheKeyIsReused() {
        assertInstanceOf(KeyClaim.Claimed.class, keys.claim("k", IngestService.requestHash(new IngestRequest("sales", "slack", "Need a demo")), NOW));
        assertEquals(Reason.IDEMPOTENCY_KEY_IN_FLIGHT, assertInstanceOf(Rejected.class, service.accept(keyed(SALES, "k"))).reason());
        assertEquals(Reason.IDEMPOTENCY_KEY_REUSED,
                assertInstanceOf(Rejected.class, service.accept(keyed("{\"topic\":\"pricing\",\"description\":\"x\"}", "k"))).reason());
        assertEquals(0, queue.sent().size());
    }

    @Test
    void anAbandonedClaimIsTakenOverOnceItsLeaseEnds() {
        keys.claim("k", IngestService.requestHash(new IngestRequest("sales", "slack", "Need a demo")), NOW.minus(Duration.ofMinutes(2)));
        assertInstanceOf(Accepted.class, service.accept(keyed(SALES, "k")));
    }

    @Test
    void enqueueFailureReleasesTheKeyAndTheRetryIsProcessedAfresh() {
        queue.fail = true;
        assertInstanceOf(IngestResult.Unavailable.class, service.accept(keyed(SALES, "k")));
        assertEquals(0, keys.size());
        queue.fail = false;
        assertInstanceOf(Accepted.class, service.accept(keyed(SALES, "k")));
        assertEquals(1, queue.sent().size());
    }

    @Test
    void anUnavailableKeyStoreIsA503ThatStoresNothing() {
        keys.failClaim = true;
        assertInstanceOf(IngestResult.Unavailable.class, service.accept(keyed(SALES, "k")));
        assertEquals(0, repository.all().size());
        assertEquals(0, queue.sent().size());
    }

    @Test
    void failingToRecordTheAnswerStillAcceptsBecauseTheMessageIsQueued() {
        keys.failComplete = true;
        assertInstanceOf(Accepted.class, service.accept(keyed(SALES, "k")));
        assertEquals(1, queue.sent().size());
    }

    @Test
    void invalidBodiesNeverClaimTheKey() {
        assertInstanceOf(Rejected.class, service.accept(keyed("{\"topic\":\"support\",\"description\":\"x\"}", "k")));
        assertEquals(0, keys.size());
        assertInstanceOf(Accepted.class, service.accept(keyed(SALES, "k")));
    }

    @Test
    void requestHashIgnoresFormattingButNotContent() {
        assertEquals(IngestService.requestHash(new IngestRequest("sales", "slack", "a")), IngestService.requestHash(new IngestRequest("sales", "slack", "a")));
        assertEquals(64, IngestService.requestHash(new IngestRequest("sales", "slack", "a")).length());
        assertEquals(false, IngestService.requestHash(new IngestRequest("sales", "slack", "a\",\"b"))
                .equals(IngestService.requestHash(new IngestRequest("sales\",\"a", "slack", "b"))));
    }
}
