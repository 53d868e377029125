package com.landbot.router.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.landbot.router.ingest.IngestResult.Accepted;
import com.landbot.router.emulators.TemplateDefinitions;
import com.landbot.router.ingest.IngestResult.Rejected;
import com.landbot.router.ingest.idempotency.IdempotencyStore;
import com.landbot.router.shared.Json;
import com.landbot.router.shared.Message;
import com.landbot.router.shared.MessageStatus;
import com.landbot.router.shared.Metrics;
import com.landbot.router.shared.QueuedMessage;
import com.landbot.router.shared.RoutingTable;
import com.landbot.router.emulators.EmfDocument;
import com.landbot.router.emulators.InMemoryMessageRepository;
import com.landbot.router.emulators.RecordingMessageQueue;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** IngestService with in-memory fakes: the order of store and enqueue under every failure. */
class IngestServiceTest {

    private static final Instant NOW = Instant.parse("2026-11-29T10:15:00.123Z");

    private final InMemoryMessageRepository repository = new InMemoryMessageRepository();
    private final RecordingMessageQueue queue = new RecordingMessageQueue();
    private final List<String> metricLines = new ArrayList<>();
    private final IngestService service = new IngestService(new RequestValidator(RoutingTable.of(TemplateDefinitions.seedTopics())), repository, queue,
            Clock.fixed(NOW, ZoneOffset.UTC), () -> "00000000-0000-4000-8000-000000000001", IdempotencyStore.disabled(),
            new Metrics("ingest", Clock.fixed(NOW, ZoneOffset.UTC), metricLines::add));

    private static RawRequest json(String body) {
        return new RawRequest("application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void acceptedAndRejectedRequestsAreCountedAsValidEmfRejectionsByReason() throws Exception {
        service.accept(json("{\"topic\":\"sales\",\"description\":\"Need a demo\"}"));
        service.accept(json("{\"topic\":\"unknown\",\"description\":\"x\"}"));
        service.accept(new RawRequest("text/plain", "hi".getBytes(StandardCharsets.UTF_8)));

        assertEquals(3, metricLines.size());
        metricLines.forEach(line -> assertEquals(List.of(), EmfDocument.problems(line), line));
        JsonNode accepted = Json.MAPPER.readTree(metricLines.get(0));
        assertEquals(1.0, accepted.get("Accepted").asDouble());
        assertEquals("ingest", accepted.get("Service").asText());
        assertEquals("00000000-0000-4000-8000-000000000001", accepted.get("messageId").asText());
        assertEquals("sales", accepted.get("topic").asText());
        assertEquals("INVALID_REQUEST", Json.MAPPER.readTree(metricLines.get(1)).get("Reason").asText());
        assertEquals("UNSUPPORTED_MEDIA_TYPE", Json.MAPPER.readTree(metricLines.get(2)).get("Reason").asText());
        assertEquals(1.0, Json.MAPPER.readTree(metricLines.get(2)).get("Rejected").asDouble());
        assertTrue(metricLines.stream().noneMatch(line -> line.contains("Need a demo")), "no description in metrics");
    }

    @Test
    void validSalesRequestIsStoredQueuedAndEnqueuedOnce() {
        IngestResult result = service.accept(json("{\"topic\":\"sales\",\"description\":\"  Need a demo  \"}"));

        Message accepted = assertInstanceOf(Accepted.class, result).message();
        assertEquals(MessageStatus.QUEUED, accepted.status());
        assertEquals("slack", accepted.channel());
        Message stored = repository.find(accepted.id()).orElseThrow();
        assertEquals(MessageStatus.QUEUED, stored.status());
        assertEquals("Need a demo", stored.description());
        assertEquals(NOW, stored.createdAt());
        assertEquals(NOW, stored.queuedAt());
        assertEquals(List.of(new QueuedMessage(accepted.id(), "sales", "slack")), queue.sent());
    }

    @Test
    void invalidRequestStoresAndQueuesNothing() {
        Rejected rejected = assertInstanceOf(Rejected.class, service.accept(json("{\"topic\":\"support\",\"description\":\"x\"}")));
        assertEquals(IngestResult.Reason.INVALID_REQUEST, rejected.reason());
        assertTrue(repository.all().isEmpty());
        assertTrue(queue.sent().isEmpty());
    }

    @Test
    void storeFailureIsRetryableAndQueuesNothing() {
        repository.failCreate = true;
        assertInstanceOf(IngestResult.Unavailable.class, service.accept(json("{\"topic\":\"sales\",\"description\":\"x\"}")));
        assertTrue(queue.sent().isEmpty());
        assertTrue(repository.all().isEmpty());
    }

    @Test
    void enqueueFailureIsRetryableAndLeavesNoStoredMessage() {
        queue.fail = true;
        assertInstanceOf(IngestResult.Unavailable.class, service.accept(json("{\"topic\":\"pricing\",\"description\":\"x\"}")));
        assertTrue(repository.all().isEmpty(), "the PENDING item must be removed: nothing claims a delivery that will not happen");
    }

    @Test
    void enqueueFailureWhoseCleanupAlsoFailsLeavesTheMessagePendingNeverQueued() {
        queue.fail = true;
        repository.failDelete = true;
        assertInstanceOf(IngestResult.Unavailable.class, service.accept(json("{\"topic\":\"pricing\",\"description\":\"x\"}")));
        assertEquals(List.of(MessageStatus.PENDING), repository.all().stream().map(Message::status).toList());
    }

    @Test
    void failureToMarkQueuedStillAcceptsBecauseTheMessageIsOnTheQueue() {
        repository.failMarkQueued = true;
        Message accepted = assertInstanceOf(Accepted.class, service.accept(json("{\"topic\":\"sales\",\"description\":\"x\"}"))).message();
        assertEquals(1, queue.sent().size());
        assertEquals(MessageStatus.PENDING, repository.find(accepted.id()).orElseThrow().status());
    }

    @Test
    void snapStartPrimingRunsItsWarmUpWithoutStoringOrQueuingAnything() {
        com.landbot.router.shared.Priming priming = com.landbot.router.shared.Priming.of("ingest", service::prime);

        priming.beforeCheckpoint(null);
        priming.afterRestore(null);

        assertTrue(priming.prime());
        assertTrue(repository.all().isEmpty());
        assertTrue(queue.sent().isEmpty());
    }

    @Test
    void aPrimingWarmUpThatFailsIsReportedButDoesNotStopTheSnapshot() {
        repository.failFind = true;
        com.landbot.router.shared.Priming priming = com.landbot.router.shared.Priming.of("ingest", service::prime);

        priming.beforeCheckpoint(null);
        assertEquals(false, priming.prime());
    }
}
