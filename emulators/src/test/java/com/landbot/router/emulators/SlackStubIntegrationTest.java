package com.landbot.router.emulators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The Slack stand-in answers like Slack, so the tests that rely on it test something. */
@Tag("integration")
class SlackStubIntegrationTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private SlackStub slack;

    @BeforeEach
    void start() {
        slack = SlackStub.start();
    }

    @AfterEach
    void stop() {
        slack.close();
    }

    private HttpResponse<String> post(String url, String contentType, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aJsonPostIsAnsweredOkRecordedAndCountedAsDelivered() throws Exception {
        HttpResponse<String> response = post(slack.webhookUrl(), "application/json; charset=utf-8", "{\"text\":\"hello\"}");

        assertEquals(200, response.statusCode());
        assertEquals("ok", response.body());
        assertEquals(1, slack.deliveries());
        assertEquals("hello", slack.delivered().get(0).path("text").asText());
        assertEquals("{\"text\":\"hello\"}", slack.requests().get(0).body());
    }

    @Test
    void scriptedAnswersComeInOrderWithTheirHeadersAndThenOkAgain() throws Exception {
        slack.respondNext(429, "rate_limited", Map.of("Retry-After", "2"));
        slack.respondNext(410, "channel_is_archived");

        HttpResponse<String> first = post(slack.webhookUrl(), "application/json", "{\"text\":\"a\"}");
        HttpResponse<String> second = post(slack.webhookUrl(), "application/json", "{\"text\":\"b\"}");
        HttpResponse<String> third = post(slack.webhookUrl(), "application/json", "{\"text\":\"c\"}");

        assertEquals(429, first.statusCode());
        assertEquals("2", first.headers().firstValue("Retry-After").orElseThrow());
        assertEquals("rate_limited", first.body());
        assertEquals(410, second.statusCode());
        assertEquals("channel_is_archived", second.body());
        assertEquals(200, third.statusCode());
        assertEquals(3, slack.requests().size());
        assertEquals(1, slack.deliveries());
        assertEquals("c", slack.delivered().get(0).path("text").asText());
    }

    @Test
    void anOutageAnswersEveryGoodRequestAheadOfTheScriptUntilItIsFixed() throws Exception {
        slack.respondNext(429, "rate_limited", Map.of("Retry-After", "2"));
        slack.failEveryRequest(404, "channel_not_found");

        assertEquals(404, post(slack.webhookUrl(), "application/json", "{\"text\":\"a\"}").statusCode());
        assertEquals("channel_not_found", post(slack.webhookUrl(), "application/json", "{\"text\":\"b\"}").body());
        assertEquals(java.util.OptionalInt.of(404), slack.outageStatus());
        slack.recover();

        assertEquals(429, post(slack.webhookUrl(), "application/json", "{\"text\":\"c\"}").statusCode(), "the script was kept");
        assertEquals(200, post(slack.webhookUrl(), "application/json", "{\"text\":\"d\"}").statusCode());
        assertEquals(1, slack.deliveries());
        assertEquals(java.util.OptionalInt.empty(), slack.outageStatus());
    }

    @Test
    void malformedRequestsAreRefusedLikeSlackWithoutUsingUpTheScript() throws Exception {
        slack.respondNext(500, "internal_error");

        assertEquals("invalid_payload", post(slack.webhookUrl(), "application/json", "{not json").body());
        assertEquals("invalid_payload", post(slack.webhookUrl(), "text/plain", "{\"text\":\"hi\"}").body());
        assertEquals("invalid_payload", post(slack.webhookUrl(), null, "{\"text\":\"hi\"}").body());
        assertEquals("no_text", post(slack.webhookUrl(), "application/json", "{\"username\":\"bot\"}").body());
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(slack.webhookUrl())).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, get.statusCode());
        assertEquals("invalid_payload", get.body());
        HttpResponse<String> wrongPath = post(slack.webhookUrl().replace("XXXX", "YYYY"), "application/json", "{\"text\":\"hi\"}");
        assertEquals(404, wrongPath.statusCode());
        assertEquals("no_service", wrongPath.body());

        assertEquals(500, post(slack.webhookUrl(), "application/json", "{\"text\":\"hi\"}").statusCode());
        assertNull(slack.requests().get(0).json());
        assertEquals(0, slack.deliveries());
    }

    @Test
    void blocksOverSlacksLimitsAreRefused() throws Exception {
        String longSection = "{\"blocks\":[{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\"" + "x".repeat(3001) + "\"}}]}";
        String longHeader = "{\"blocks\":[{\"type\":\"header\",\"text\":{\"type\":\"plain_text\",\"text\":\"" + "x".repeat(151) + "\"}}]}";

        assertEquals("invalid_blocks", post(slack.webhookUrl(), "application/json", longSection).body());
        assertEquals("invalid_blocks", post(slack.webhookUrl(), "application/json", longHeader).body());
        assertEquals(0, slack.deliveries());
    }

    @Test
    void concurrentDeliveriesAreAllRecorded() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> posts = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String body = "{\"text\":\"message " + i + "\"}";
                posts.add(() -> post(slack.webhookUrl(), "application/json", body).statusCode());
            }
            for (Future<Integer> status : pool.invokeAll(posts)) {
                assertEquals(200, status.get());
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(40, slack.deliveries());
        assertTrue(slack.requests().stream().allMatch(request -> request.status() == 200));
    }

    @Test
    void eachWebhookIsRateLimitedAloneBurstThenOnePerIntervalWith429AndRetryAfterBeyond() throws Exception {
        slack.limitRate(new SlackStub.RateLimit(1, 3));
        String a = slack.webhookUrlOf("A");
        String b = slack.webhookUrlOf("B");

        List<Integer> burstOnA = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            burstOnA.add(post(a, "application/json", "{\"text\":\"a" + i + "\"}").statusCode());
        }
        HttpResponse<String> fifthOnA = post(a, "application/json", "{\"text\":\"a4\"}");
        int firstOnB = post(b, "application/json", "{\"text\":\"b0\"}").statusCode();

        assertEquals(List.of(200, 200, 200, 429), burstOnA, "a burst of 3, then 429");
        assertEquals(429, fifthOnA.statusCode());
        assertEquals("rate_limited", fifthOnA.body());
        assertEquals("1", fifthOnA.headers().firstValue("Retry-After").orElseThrow());
        assertEquals(200, firstOnB, "another webhook has its own bucket");

        Thread.sleep(1_100);
        assertEquals(200, post(a, "application/json", "{\"text\":\"a5\"}").statusCode(), "a token back after a second");
        assertEquals(429, post(a, "application/json", "{\"text\":\"a6\"}").statusCode());
        assertEquals(4, slack.delivered("A").size());
        assertEquals(1, slack.delivered("B").size());
        assertEquals(3, slack.answered(429));
    }

    @Test
    void aFaultPlanFailsItsShareWithRetryAfterUntilItIsStoppedAndDeliveriesAreCountedPerMessage() throws Exception {
        String id = "0b6c5a54-8f0e-4f7e-9a55-6a1f2f0c1d2e";
        String payload = "{\"text\":\"Topic: sales \u00b7 Message id: " + id + "\"}";
        slack.injectFaults(new SlackStub.FaultPlan(42, 1.0));

        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> response = post(slack.webhookUrl(), "application/json", payload);
            statuses.add(response.statusCode());
            if (response.statusCode() == 429) {
                assertEquals("1", response.headers().firstValue("Retry-After").orElse(null));
            }
        }
        assertTrue(statuses.contains(500) && statuses.contains(429) && !statuses.contains(200), statuses.toString());
        assertEquals(20, slack.answered(500) + slack.answered(429));
        assertEquals(400, post(slack.webhookUrl(), "text/plain", payload).statusCode(), "a malformed request is still refused");

        slack.stopFaults();
        assertEquals(200, post(slack.webhookUrl(), "application/json", payload).statusCode());
        assertEquals(200, post(slack.webhookUrl(), "application/json", payload).statusCode());
        assertEquals(Map.of(id, 2), slack.deliveriesByMessageId());
    }
}
