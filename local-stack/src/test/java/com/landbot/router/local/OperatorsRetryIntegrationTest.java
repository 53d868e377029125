package com.landbot.router.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.landbot.router.dispatch.DispatchHandler;
import com.landbot.router.dispatch.DispatchWiring;
import com.landbot.router.ingest.IngestHandler;
import com.landbot.router.shared.AwsClients;
import com.landbot.router.shared.Json;
import com.landbot.router.shared.Message;
import com.landbot.router.shared.MessageStatus;
import com.landbot.router.emulators.Emulators;
import com.landbot.router.emulators.FunctionEnvironment;
import com.landbot.router.emulators.SlackStub;
import com.landbot.router.emulators.TestStack;
import com.landbot.router.tools.RedriveCommand;
import com.landbot.router.tools.SqsEventSource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The operators' retry and history routes over HTTP, as a user calls them: the real IngestHandler behind the local
 * API Gateway, the real DispatchHandler driven as the SQS event source drives it, DynamoDB on moto, SQS (queue and
 * DLQ with the template's redrive policy) on ElasticMQ, Slack a local stand-in scripted to fail.
 */
@Tag("integration")
class OperatorsRetryIntegrationTest {

    private static final String ADMIN = FunctionEnvironment.LOCAL_ADMIN_TOKEN;
    private static final String BOT = FunctionEnvironment.LOCAL_DEV_TOKEN;

    private final AwsClients clients = Emulators.get().clients();
    private TestStack stack;
    private SlackStub slack;
    private HttpApiGateway api;
    private DispatchHandler dispatcher;
    private SqsEventSource eventSource;

    @BeforeEach
    void start() {
        // The JDK's HTTP server reads its time limits once, when the JVM's first server starts (the Slack stand-in,
        // here): set the local stack's first, or the later tests of slow clients in this JVM run without them.
        LocalHttp.limitSlowClients();
        stack = TestStack.create();
        slack = SlackStub.start();
        Map<String, String> env = new HashMap<>(stack.functionEnvironment());
        env.put("SLACK_WEBHOOK_URL", slack.webhookUrl());
        // Wired but unused: every message here goes to Slack, so SES needs no verified sender.
        env.put("SENDER_ADDRESS", "router@example.com");
        // Retries at once and no pacing: what is under test is the record, not the timing.
        env.put("RETRY_BASE_BACKOFF_SECONDS", "0");
        env.put("RETRY_MAX_BACKOFF_SECONDS", "0");
        env.put("SLACK_MIN_INTERVAL_MS", "0");
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        api = HttpApiGateway.start(0, new IngestHandler(env, clients), new Journey(quiet), quiet);
        dispatcher = new DispatchHandler(DispatchWiring.fromEnvironment(env, clients, Clock.systemUTC()), Clock.systemUTC());
        eventSource = new SqsEventSource(stack.sqs(), stack.queueUrl(), clients.region().id(), 10);
    }

    @AfterEach
    void stop() {
        api.close();
        slack.close();
        stack.close();
    }

    // ---- history

    @Test
    void historyIsRecordedForSentRateLimitedRetriedAndPermanentlyFailedMessagesAndOnlyOperatorsSeeIt() throws Exception {
        String sent = accept("sales");
        dispatchUntil(() -> status(sent).equals("SENT"));

        slack.respondNext(429, "rate_limited", Map.of("Retry-After", "1"));
        String rateLimited = accept("sales");
        dispatchUntil(() -> status(rateLimited).equals("SENT"));

        slack.respondNext(500, "internal_error");
        String retried = accept("sales");
        dispatchUntil(() -> status(retried).equals("SENT"));

        slack.respondNext(404, "channel_not_found");
        String failed = accept("sales");
        dispatchUntil(() -> status(failed).equals("ERROR"));

        assertEquals(List.of("SENT"), outcomes(sent));
        assertEquals(List.of("RATE_LIMITED", "SENT"), outcomes(rateLimited));
        assertEquals(List.of("RETRYABLE_FAILURE", "SENT"), outcomes(retried));
        assertEquals(List.of("PERMANENT_FAILURE"), outcomes(failed));

        JsonNode attempt = message(failed, ADMIN).get("history").get(0);
        assertEquals("slack", attempt.get("channel").asText());
        assertEquals("landbot-router/slack/sales", attempt.get("destination").asText(), "the webhook by its secret's name");
        assertEquals("Slack answered 404 channel_not_found", attempt.get("error").asText());
        assertTrue(attempt.get("durationMs").asLong() >= 0);
        assertNotNull(Instant.parse(attempt.get("at").asText()));
        assertFalse(message(failed, ADMIN).toString().contains("http://"), "no webhook URL in what the API shows");
        assertEquals(List.of("Slack answered 429 rate_limited"),
                List.of(message(rateLimited, ADMIN).get("history").get(0).get("error").asText()));

        JsonNode botView = message(failed, BOT);
        assertEquals("ERROR", botView.get("status").asText());
        assertFalse(botView.has("history"), "the bot sees the status, not the attempts: " + botView);
    }

    // ---- retry of one message

    @Test
    void retryOfAnErrorMessageEndsSentWithItsHistoryKeptAndItsCopyInTheDeadLetterQueueIsNotDeliveredTwice() throws Exception {
        slack.respondNext(404, "channel_not_found");
        String id = accept("sales");
        dispatchUntil(() -> status(id).equals("ERROR"));
        assertEquals(1, stack.approximateCount(stack.deadLetterQueueUrl()), "a permanent failure is copied to the DLQ");

        HttpResponse<String> retry = call("POST", "/messages/" + id + "/retry", ADMIN, null);
        assertEquals(202, retry.statusCode(), retry.body());
        assertEquals("/messages/" + id, retry.headers().firstValue("Location").orElseThrow());
        assertEquals("QUEUED", Json.MAPPER.readTree(retry.body()).get("status").asText());
        assertNotNull(Json.MAPPER.readTree(retry.body()).get("retryRequestedAt"));

        dispatchUntil(() -> status(id).equals("SENT"));
        JsonNode sent = message(id, ADMIN);
        assertEquals(List.of("PERMANENT_FAILURE", "SENT"), outcomes(id));
        assertEquals(2, sent.get("attempts").asInt());
        assertFalse(sent.has("lastError"), "delivered: the console shows no error on a SENT message: " + sent);
        assertEquals("Slack answered 404 channel_not_found", sent.get("history").get(0).get("error").asText(), "the earlier error stays in the history");
        assertFalse(message(id, BOT).has("lastError"), "nor does the bot's status view: " + message(id, BOT));
        assertEquals(1, slack.deliveries());

        // Whole-queue recovery later: the DLQ's copy of the message comes back, and is acknowledged without a send.
        assertEquals(0, RedriveCommand.run(new String[] {"--dlq", stack.deadLetterQueueUrl()}, stack.functionEnvironment()));
        dispatchUntil(() -> stack.approximateCount(stack.queueUrl()) == 0 && stack.approximateCount(stack.deadLetterQueueUrl()) == 0);
        assertEquals(1, slack.deliveries(), "the retried message's DLQ copy was not delivered again");
        assertEquals(List.of("PERMANENT_FAILURE", "SENT"), outcomes(id));
        assertEquals("SENT", status(id));
    }

    @Test
    void retryOfASentMessageIs409AndOfAnUnknownOne404() throws Exception {
        String id = accept("sales");
        dispatchUntil(() -> status(id).equals("SENT"));

        HttpResponse<String> refused = call("POST", "/messages/" + id + "/retry", ADMIN, null);
        assertEquals(409, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("the message is SENT"), refused.body());
        assertEquals(0, stack.approximateCount(stack.queueUrl()), "nothing was queued");

        assertEquals(404, call("POST", "/messages/" + UUID.randomUUID() + "/retry", ADMIN, null).statusCode());
    }

    @Test
    void repeatedAndConcurrentRetriesQueueTheMessageOnceAndItIsDeliveredOnce() throws Exception {
        slack.respondNext(404, "channel_not_found");
        String id = accept("sales");
        dispatchUntil(() -> status(id).equals("ERROR"));

        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Callable<Integer>> retries = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            retries.add(() -> call("POST", "/messages/" + id + "/retry", ADMIN, null).statusCode());
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> status : pool.invokeAll(retries)) {
            statuses.add(status.get());
        }
        pool.shutdown();
        statuses.add(call("POST", "/messages/" + id + "/retry", ADMIN, null).statusCode());
        assertEquals(List.of(202, 202, 202, 202, 202), statuses, "safe to repeat: each answer is the retry's");
        assertEquals(1, stack.approximateCount(stack.queueUrl()), "one copy on the queue, not five");

        dispatchUntil(() -> status(id).equals("SENT"));
        assertEquals(1, slack.deliveries());
        assertEquals(409, call("POST", "/messages/" + id + "/retry", ADMIN, null).statusCode(), "sent now: nothing to retry");
    }

    // ---- bulk retry

    @Test
    void bulkRetryQueuesATopicsErrorMessagesPageByPageWithCountsAndLeavesTheRestAlone() throws Exception {
        Instant base = Instant.parse("2026-11-30T08:00:00Z");
        List<String> salesErrors = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            salesErrors.add(storedError("sales", "slack", base.plusSeconds(60L * i)));
        }
        String pricingError = storedError("pricing", "email", base.plusSeconds(30));

        List<String> queued = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Map<String, Object> request = new HashMap<>(Map.of("topic", "sales", "limit", 2));
            if (cursor != null) {
                request.put("cursor", cursor);
            }
            HttpResponse<String> page = call("POST", "/messages/retry", ADMIN, Json.write(request));
            assertEquals(202, page.statusCode(), page.body());
            JsonNode body = Json.MAPPER.readTree(page.body());
            assertTrue(body.get("examined").asInt() <= 2, body.toString());
            assertEquals(body.get("queued").asInt(), body.get("messageIds").size());
            body.get("messageIds").forEach(id -> queued.add(id.asText()));
            cursor = body.has("nextCursor") ? body.get("nextCursor").asText() : null;
            pages++;
        } while (cursor != null && pages < 10);

        assertEquals(new java.util.TreeSet<>(salesErrors), new java.util.TreeSet<>(queued));
        assertEquals(5, queued.size(), "each once");
        assertTrue(pages >= 3, "bounded: at most 2 per request, so at least three pages (" + pages + ")");
        assertEquals(5, stack.approximateCount(stack.queueUrl()));
        assertEquals("ERROR", status(pricingError), "another topic's ERROR message stays");
        for (String id : salesErrors) {
            assertEquals("QUEUED", status(id));
        }
        JsonNode counts = Json.MAPPER.readTree(call("GET", "/counts", ADMIN, null).body()).get("counts");
        assertEquals(5, counts.get("QUEUED").asInt(), counts.toString());
        assertEquals(1, counts.get("ERROR").asInt(), counts.toString());
        assertEquals(0, counts.get("SENT").asInt(), counts.toString());
    }

    @Test
    void bulkRetryByTimeRangeTakesOnlyMessagesAcceptedInIt() throws Exception {
        Instant base = Instant.parse("2026-11-30T08:00:00Z");
        String before = storedError("sales", "slack", base.minusSeconds(1));
        String first = storedError("sales", "slack", base);
        String second = storedError("pricing", "email", base.plusSeconds(3599));
        String after = storedError("pricing", "email", base.plusSeconds(3600));

        HttpResponse<String> answer = call("POST", "/messages/retry", ADMIN,
                "{\"createdFrom\":\"2026-11-30T08:00:00Z\",\"createdTo\":\"2026-11-30T09:00:00Z\",\"limit\":100}");

        assertEquals(202, answer.statusCode(), answer.body());
        JsonNode body = Json.MAPPER.readTree(answer.body());
        assertEquals(2, body.get("queued").asInt(), body.toString());
        assertFalse(body.has("nextCursor"), body.toString());
        assertEquals(List.of("ERROR", "QUEUED", "QUEUED", "ERROR"), List.of(status(before), status(first), status(second), status(after)));
    }

    @Test
    void bulkRetryRefusesAnUnboundedOrMalformedSelectionWithTheReason() throws Exception {
        storedError("sales", "slack", Instant.parse("2026-11-30T08:00:00Z"));
        for (String body : List.of("{}", "{\"topic\":\"sales\",\"limit\":500}", "{\"createdFrom\":\"yesterday\"}",
                "{\"createdFrom\":\"2026-11-30T09:00:00Z\",\"createdTo\":\"2026-11-30T08:00:00Z\"}",
                "{\"topic\":\"sales\",\"cursor\":\"not-a-cursor\"}")) {
            HttpResponse<String> answer = call("POST", "/messages/retry", ADMIN, body);
            assertEquals(400, answer.statusCode(), body + " -> " + answer.body());
            assertTrue(Json.MAPPER.readTree(answer.body()).get("details").size() > 0, answer.body());
        }
        assertEquals(0, stack.approximateCount(stack.queueUrl()));
    }

    // ---- who may

    @Test
    void theOperatorsRoutesAnswerTheBot403AndNoCredentials401AndTheConsolePageNeedsNone() throws Exception {
        String id = storedError("sales", "slack", Instant.parse("2026-11-30T08:00:00Z"));
        Map<String, String> routes = Map.of(
                "POST /messages/" + id + "/retry", "",
                "POST /messages/retry", "{\"topic\":\"sales\"}",
                "GET /counts", "");
        for (Map.Entry<String, String> route : routes.entrySet()) {
            String[] parts = route.getKey().split(" ");
            String body = route.getValue().isEmpty() ? null : route.getValue();
            assertEquals(403, call(parts[0], parts[1], BOT, body).statusCode(), route.getKey() + " with the bot's token");
            HttpResponse<String> none = call(parts[0], parts[1], null, body);
            assertEquals(401, none.statusCode(), route.getKey() + " without credentials");
            assertEquals("Bearer", none.headers().firstValue("WWW-Authenticate").orElse(null));
            assertEquals(401, call(parts[0], parts[1], "wrong-token", body).statusCode(), route.getKey() + " with a wrong token");
        }
        assertEquals("ERROR", status(id), "none of the refused retries did anything");
        assertEquals(0, stack.approximateCount(stack.queueUrl()));

        HttpResponse<String> page = call("GET", "/console", null, null);
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline") && csp.contains("frame-ancestors 'none'"), csp);
        assertEquals("DENY", page.headers().firstValue("X-Frame-Options").orElse(null));
        assertFalse(page.body().matches("(?s).*<script(?![^>]*\\bsrc=)[^>]*>.*"), "no inline script in the page");
        assertEquals(200, call("GET", "/console/console.js", null, null).statusCode());
        assertEquals(404, call("GET", "/console/..%2Fconsole.js", null, null).statusCode());
        assertEquals(404, call("GET", "/console/secrets.txt", null, null).statusCode());
    }

    // ---- helpers

    private HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
        return ApiCall.send(method, "http://127.0.0.1:" + api.port() + path, token, body);
    }

    private String accept(String topic) throws Exception {
        HttpResponse<String> answer = call("POST", "/messages", BOT,
                "{\"topic\":\"" + topic + "\",\"description\":\"Please call me back about " + topic + ".\"}");
        assertEquals(202, answer.statusCode(), answer.body());
        return Json.MAPPER.readTree(answer.body()).get("id").asText();
    }

    private JsonNode message(String id, String token) throws Exception {
        HttpResponse<String> answer = call("GET", "/messages/" + id, token, null);
        assertEquals(200, answer.statusCode(), answer.body());
        return Json.MAPPER.readTree(answer.body());
    }

    private String status(String id) {
        try {
            return message(id, ADMIN).get("status").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> outcomes(String id) throws Exception {
        return StreamSupport.stream(message(id, ADMIN).get("history").spliterator(), false)
                .map(attempt -> attempt.get("outcome").asText()).toList();
    }

    /** An ERROR message as the dispatcher leaves one (not on the queue), accepted at {@code createdAt}. */
    private String storedError(String topic, String channel, Instant createdAt) {
        String id = UUID.randomUUID().toString();
        stack.repository().create(new Message(id, topic, channel, "help with " + topic, MessageStatus.ERROR, 1,
                createdAt, createdAt, createdAt, null, "Slack answered 404 channel_not_found", null));
        return id;
    }

    /** Polls like the event source mapping until the condition holds (the queue's timers run in real time). */
    private void dispatchUntil(BooleanSupplier done) {
        Instant deadline = Instant.now().plusSeconds(45);
        while (!done.getAsBoolean()) {
            assertTrue(Instant.now().isBefore(deadline), "condition not reached in 45 s");
            eventSource.pollOnce(event -> dispatcher.handle(event, null), 1);
        }
    }
}
