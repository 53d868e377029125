package com.landbot.router.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.landbot.router.emulators.FunctionEnvironment;
import com.landbot.router.shared.Json;
import com.landbot.router.emulators.ProjectPaths;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code make run} as a user meets it: {@code scripts/run-local} started as a process (on ports its servers choose
 * as they bind, read back from its banner, and with
 * the classpath this Maven build made instead of a nested Maven build), driven over HTTP only, then stopped
 * with SIGTERM, which runs the same shutdown hook as Ctrl-C.
 */
@Tag("end-to-end")
class LocalStackEndToEndTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration START_LIMIT = Duration.ofSeconds(90);

    private LocalStackProcess stack;

    @AfterEach
    void stopWhateverIsLeft() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void salesReachesTheSlackSinkAndPricingTheSesOutboxAnOperatorReroutesSalesWithoutARestartAndStoppingLeavesNoProcessBehind()
            throws Exception {
        // No routes cache in the dispatcher: the reroute below must show on the next message, with no wait to race
        // against a timer (the cache's TTL and refresh rules are CachedRoutesTest's).
        stack = start(Map.of("ROUTES_CACHE_SECONDS", "0")).awaitReady(START_LIMIT);
        int api = stack.api().getPort();
        int inbox = stack.inbox().getPort();

        String sales = accept(api, "{\"topic\":\"sales\",\"description\":\"Hi! I'd like a demo for 40 agents.\"}");
        String pricing = accept(api, "{\"topic\":\"pricing\",\"description\":\"Discounts for NGOs & schools?\"}");

        JsonNode salesStatus = awaitSent(api, sales);
        JsonNode pricingStatus = awaitSent(api, pricing);
        assertEquals("slack", salesStatus.get("channel").asText());
        assertEquals("email", pricingStatus.get("channel").asText());

        JsonNode slack = getJson(URI.create("http://127.0.0.1:" + inbox + "/slack"));
        assertEquals(1, slack.size(), slack.toString());
        assertTrue(slack.get(0).toString().contains(sales), slack.toString());

        JsonNode emails = getJson(URI.create("http://127.0.0.1:" + inbox + "/emails"));
        assertEquals(1, emails.size(), emails.toString());
        JsonNode email = emails.get(0);
        assertEquals(List.of("pricing-team@example.com"),
                StreamSupport.stream(email.get("to").spliterator(), false).map(JsonNode::asText).toList());
        assertTrue(email.get("body").asText().contains(pricing), email.toString());
        assertEquals(pricingStatus.get("deliveryId").asText(), email.get("messageId").asText());

        // Routing is data: an operator moves sales to email with the admin token, and the running stack follows.
        JsonNode topics = getJson(URI.create("http://127.0.0.1:" + api + "/topics"), FunctionEnvironment.LOCAL_ADMIN_TOKEN);
        assertEquals("[\"pricing\",\"sales\"]", Json.write(StreamSupport.stream(topics.get("topics").spliterator(), false)
                .map(topic -> topic.get("name").asText()).toList()));
        assertEquals(403, send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api + "/topics"))
                .header("Authorization", "Bearer " + FunctionEnvironment.LOCAL_DEV_TOKEN).GET()).statusCode(), "the bot's token may not list routes");
        HttpResponse<String> rerouted = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api + "/topics/sales"))
                .header("Authorization", "Bearer " + FunctionEnvironment.LOCAL_ADMIN_TOKEN)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"channel\":\"email\",\"target\":{\"recipients\":[\"sales-desk@example.com\"]}}")));
        assertEquals(200, rerouted.statusCode(), rerouted.body());
        String afterReroute = accept(api, "{\"topic\":\"sales\",\"description\":\"Still there? Please email me.\"}");
        assertEquals("email", awaitSent(api, afterReroute).get("channel").asText());
        JsonNode emailsAfter = getJson(URI.create("http://127.0.0.1:" + inbox + "/emails"));
        assertEquals(2, emailsAfter.size(), emailsAfter.toString());
        assertTrue(emailsAfter.toString().contains("sales-desk@example.com"), emailsAfter.toString());
        assertEquals(1, getJson(URI.create("http://127.0.0.1:" + inbox + "/slack")).size(), "nothing more went to Slack");

        // On-call's view: what was sent, newest first.
        JsonNode sent = getJson(URI.create("http://127.0.0.1:" + api + "/messages?status=SENT"), FunctionEnvironment.LOCAL_ADMIN_TOKEN);
        List<String> sentIds = StreamSupport.stream(sent.get("messages").spliterator(), false).map(m -> m.get("id").asText()).toList();
        assertEquals(afterReroute, sentIds.get(0), sent.toString());
        assertTrue(sentIds.containsAll(List.of(sales, pricing, afterReroute)), sent.toString());

        awaitPrinted("[journey] " + sales + " accepted topic=sales channel=slack");
        awaitPrinted("[journey] " + sales + " sent via slack");
        awaitPrinted("[journey] " + pricing + " sent via email");
        awaitPrinted("[slack] local sink received");
        awaitPrinted("[email] SES accepted " + pricingStatus.get("deliveryId").asText());

        List<ProcessHandle> children = stack.stop();
        assertFalse(children.isEmpty(), "moto_server should run as a child process");
        for (ProcessHandle child : children) {
            child.onExit().get(10, TimeUnit.SECONDS);
            assertFalse(child.isAlive(), child.info().commandLine().orElse("pid " + child.pid()) + " outlived the stack");
        }
        assertPrinted("local stack stopped");
    }

    @Test
    void aTakenPortStopsTheStartWithTheVariableToSet() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            stack = start(Map.of("LOCAL_API_PORT", Integer.toString(taken.getLocalPort())));
            assertTrue(stack.process().waitFor(60, TimeUnit.SECONDS), "the stack should refuse to start");
            assertEquals(2, stack.process().exitValue());
            stack.awaitPrinted("set LOCAL_API_PORT", Duration.ofSeconds(5));
            assertPrinted("port " + taken.getLocalPort() + " (the API) is in use");
            assertEquals(0, stack.process().descendants().count(), "nothing should have been started");
        }
    }

    /** With the classpath this Maven build made: no nested Maven build. */
    private static LocalStackProcess start(Map<String, String> settings) throws IOException {
        return LocalStackProcess.start(settings,
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")), System.out);
    }

    private static String accept(int api, String json) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api + "/messages"))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + FunctionEnvironment.LOCAL_DEV_TOKEN)
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, response.statusCode(), response.body());
        String id = Json.MAPPER.readTree(response.body()).get("id").asText();
        assertEquals("/messages/" + id, response.headers().firstValue("Location").orElse(""));
        return id;
    }

    private JsonNode awaitSent(int api, String id) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        JsonNode status;
        do {
            status = getJson(URI.create("http://127.0.0.1:" + api + "/messages/" + id));
            if (status.get("status").asText().equals("SENT")) {
                return status;
            }
            Thread.sleep(200);
        } while (Instant.now().isBefore(deadline));
        fail(id + " did not read SENT within 30 s: " + status + "\n" + stack.printed());
        return status;
    }

    private static JsonNode getJson(URI uri) throws Exception {
        return getJson(uri, FunctionEnvironment.LOCAL_DEV_TOKEN);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode getJson(URI uri, String token) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), uri + ": " + response.body());
        return Json.MAPPER.readTree(response.body());
    }

    /** The dispatcher prints a message's step after it records it, so the line may follow the status by a moment. */
    private void awaitPrinted(String text) throws InterruptedException {
        stack.awaitPrinted(text, Duration.ofSeconds(10));
    }

    private void assertPrinted(String text) {
        assertTrue(stack.printed().contains(text), "expected the console to show '" + text + "':\n" + stack.printed());
    }
}
