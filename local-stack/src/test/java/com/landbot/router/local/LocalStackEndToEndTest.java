package com.landbot.router.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.landbot.router.shared.Json;
import com.landbot.router.testing.ProjectPaths;
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

    private final List<String> output = new ArrayList<>();
    private final CountDownLatch ready = new CountDownLatch(1);
    private Process stack;
    private Thread reader;

    @AfterEach
    void stopWhateverIsLeft() {
        if (stack != null) {
            stack.descendants().forEach(ProcessHandle::destroyForcibly);
            stack.destroyForcibly();
        }
    }

    @Test
    void salesReachesTheSlackSinkAndPricingTheSesOutboxAnOperatorReroutesSalesWithoutARestartAndStoppingLeavesNoProcessBehind()
            throws Exception {
        stack = start(Map.of(
                "LOCAL_API_PORT", "0",
                "LOCAL_INBOX_PORT", "0",
                "LOCAL_SLACK_PORT", "0",
                "LOCAL_SQS_PORT", "0",
                "LOCAL_MOTO_PORT", "0",
                // No routes cache in the dispatcher: the reroute below must show on the next message, with no wait
                // to race against a timer (the cache's TTL and refresh rules are CachedRoutesTest's).
                "ROUTES_CACHE_SECONDS", "0"));
        awaitReady();
        int api = printedPort("API (IngestFunction)");
        int inbox = printedPort("Inbox");

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
        JsonNode topics = getJson(URI.create("http://127.0.0.1:" + api + "/topics"), LocalStack.LOCAL_ADMIN_TOKEN);
        assertEquals("[\"pricing\",\"sales\"]", Json.write(StreamSupport.stream(topics.get("topics").spliterator(), false)
                .map(topic -> topic.get("name").asText()).toList()));
        assertEquals(403, send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api + "/topics"))
                .header("Authorization", "Bearer " + LocalStack.LOCAL_DEV_TOKEN).GET()).statusCode(), "the bot's token may not list routes");
        HttpResponse<String> rerouted = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api + "/topics/sales"))
                .header("Authorization", "Bearer " + LocalStack.LOCAL_ADMIN_TOKEN)
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
        JsonNode sent = getJson(URI.create("http://127.0.0.1:" + api + "/messages?status=SENT"), LocalStack.LOCAL_ADMIN_TOKEN);
        List<String> sentIds = StreamSupport.stream(sent.get("messages").spliterator(), false).map(m -> m.get("id").asText()).toList();
        assertEquals(afterReroute, sentIds.get(0), sent.toString());
        assertTrue(sentIds.containsAll(List.of(sales, pricing, afterReroute)), sent.toString());

        awaitPrinted("[journey] " + sales + " accepted topic=sales channel=slack");
        awaitPrinted("[journey] " + sales + " sent via slack");
        awaitPrinted("[journey] " + pricing + " sent via email");
        awaitPrinted("[slack] local sink received");
        awaitPrinted("[email] SES accepted " + pricingStatus.get("deliveryId").asText());

        List<ProcessHandle> children = stack.descendants().toList();
        assertFalse(children.isEmpty(), "moto_server should run as a child process");
        // SIGTERM through the handle: Process.destroy() would also close the pipe we read the goodbye from.
        stack.toHandle().destroy();
        assertTrue(stack.waitFor(20, TimeUnit.SECONDS), "the stack did not stop on SIGTERM");
        reader.join(5_000);
        for (ProcessHandle child : children) {
            child.onExit().get(10, TimeUnit.SECONDS);
            assertFalse(child.isAlive(), child.info().commandLine().orElse("pid " + child.pid()) + " outlived the stack");
        }
        assertPrinted("local stack stopped");
    }

    @Test
    void aTakenPortStopsTheStartWithTheVariableToSet() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            stack = start(Map.of(
                    "LOCAL_API_PORT", Integer.toString(taken.getLocalPort()),
                    "LOCAL_INBOX_PORT", "0",
                    "LOCAL_SLACK_PORT", "0",
                    "LOCAL_SQS_PORT", "0",
                    "LOCAL_MOTO_PORT", "0"));
            assertTrue(stack.waitFor(60, TimeUnit.SECONDS), "the stack should refuse to start");
            assertEquals(2, stack.exitValue());
            reader.join(5_000);
            assertPrinted("port " + taken.getLocalPort() + " (the API) is in use");
            assertPrinted("set LOCAL_API_PORT");
            assertEquals(0, stack.descendants().count(), "nothing should have been started");
        }
    }

    private Process start(Map<String, String> ports) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(ProjectPaths.root().resolve("scripts/run-local").toString())
                .directory(ProjectPaths.root().toFile())
                .redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        // The stack as a fresh clone runs it: the local Slack sink, the template's addresses and routes.
        List.of("SLACK_WEBHOOK_URL", "SENDER_ADDRESS", "AUTH_TOKENS", "ADMIN_TOKENS", "ROUTES_CACHE_SECONDS").forEach(env::remove);
        env.putAll(ports);
        env.put("LOCAL_STACK_CLASSPATH", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        Process process = builder.start();
        reader = new Thread(() -> read(process), "local-stack-output");
        reader.setDaemon(true);
        reader.start();
        return process;
    }

    private void read(Process process) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                System.out.println("local-stack| " + line);
                synchronized (output) {
                    output.add(line);
                }
                if (line.contains(LocalStack.READY)) {
                    ready.countDown();
                }
            }
        } catch (IOException e) {
            // the process is gone; the assertions on its output say what was missing
        }
    }

    private void awaitReady() throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(90);
        while (!ready.await(200, TimeUnit.MILLISECONDS)) {
            if (!stack.isAlive() || Instant.now().isAfter(deadline)) {
                fail("the stack never printed '" + LocalStack.READY + "':\n" + printed());
            }
        }
    }

    private static String accept(int api, String json) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api + "/messages"))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + LocalStack.LOCAL_DEV_TOKEN)
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
        fail(id + " did not read SENT within 30 s: " + status + "\n" + printed());
        return status;
    }

    private static JsonNode getJson(URI uri) throws Exception {
        return getJson(uri, LocalStack.LOCAL_DEV_TOKEN);
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
        Instant deadline = Instant.now().plusSeconds(10);
        while (!printed().contains(text) && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertPrinted(text);
    }

    private void assertPrinted(String text) {
        assertTrue(printed().contains(text), "expected the console to show '" + text + "':\n" + printed());
    }

    private String printed() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    /**
     * The port of the banner line that starts with {@code label} (the servers chose their ports as they bound).
     * The banner follows the ready line by a moment: the reader adds it line by line.
     */
    private int printedPort(String label) throws InterruptedException {
        Pattern banner = Pattern.compile("^\\s*" + Pattern.quote(label) + "\\s+http://localhost:(\\d+)", Pattern.MULTILINE);
        Instant deadline = Instant.now().plusSeconds(10);
        Matcher line = banner.matcher(printed());
        while (!line.find() && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
            line = banner.matcher(printed());
        }
        assertTrue(line.find(0), "no '" + label + "' URL in the banner:\n" + printed());
        return Integer.parseInt(line.group(1));
    }
}
