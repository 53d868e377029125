package com.landbot.router.dispatch.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.landbot.router.shared.DeliveryException;
import com.landbot.router.shared.DeliveryReceipt;
import com.landbot.router.shared.Message;
import com.landbot.router.shared.SlackTarget;
import com.landbot.router.emulators.SlackStub;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SlackChannel against {@link SlackStub} over real HTTP, through the real slack-api-client. */
@Tag("integration")
class SlackChannelIntegrationTest {

    private static final String ID = "6f1c2b9e-2d4a-4a8e-9d55-0c3f1e7a9b12";
    private static final Instant CREATED_AT = Instant.parse("2025-03-14T09:26:53Z");

    private SlackStub slack;
    private SlackChannel channel;

    @BeforeEach
    void startSlack() {
        slack = SlackStub.start();
        channel = new SlackChannel(slack::webhookUrl, Duration.ofSeconds(2));
    }

    @AfterEach
    void stopSlack() {
        slack.close();
    }

    private static Message message(String description) {
        return Message.pending(ID, "sales", "slack", description, CREATED_AT);
    }

    /** The sales topic's target; the channels here are built with one URL, so the secret it names is not read. */
    private static final SlackTarget ROUTE = new SlackTarget("landbot-router/slack/sales");

    @Test
    void aMessageArrivesOnceAsBlockKitWithATextFallbackNamingTopicAndId() throws Exception {
        DeliveryReceipt receipt = channel.deliver(message("Hi! I'd like a demo of the Enterprise plan for 40 agents."), ROUTE);

        assertNull(receipt.deliveryId(), "Slack gives no id for a webhook post");
        assertEquals(1, slack.deliveries());
        JsonNode posted = slack.delivered().get(0);
        assertTrue(posted.path("text").asText().contains("sales"), posted::toString);
        JsonNode blocks = posted.path("blocks");
        assertTrue(blocks.isArray() && blocks.size() >= 2, posted::toString);
        assertEquals("header", blocks.get(0).path("type").asText());
        assertTrue(blocks.get(0).path("text").path("text").asText().contains("sales"));
        String everything = posted.toString();
        assertTrue(everything.contains("Hi! I'd like a demo of the Enterprise plan for 40 agents."), everything);
        assertTrue(everything.contains(ID), everything);
        assertTrue(everything.contains("2025-03-14T09:26:53Z"), everything);
        assertTrue(slack.requests().get(0).contentType().startsWith("application/json"));
    }

    @Test
    void aDescriptionCannotPingTheChannelOrForgeALink() throws Exception {
        channel.deliver(message("<!channel> & <http://evil|click>"), ROUTE);

        String body = slack.requests().get(0).body();
        assertFalse(body.contains("<!channel>"), body);
        assertFalse(body.contains("<http"), body);
        assertEquals("&lt;!channel&gt; &amp; &lt;http://evil|click&gt;", sectionText(slack.delivered().get(0)));
        assertTrue(slack.delivered().get(0).path("text").asText().endsWith("&lt;!channel&gt; &amp; &lt;http://evil|click&gt;"));
    }

    @Test
    void aLongDescriptionIsCutToSlacksSectionLimitWithAVisibleMarker() throws Exception {
        channel.deliver(message("x".repeat(4000)), ROUTE);

        JsonNode posted = slack.delivered().get(0);
        String section = sectionText(posted);
        assertTrue(section.length() <= 3000, "section text is " + section.length() + " characters");
        assertTrue(section.length() > 2900, "the cut keeps as much as fits: " + section.length());
        assertTrue(section.endsWith("… (truncated)"), section.substring(section.length() - 40));
        assertTrue(posted.path("text").asText().length() <= 300, "fallback text is " + posted.path("text").asText().length());
    }

    @Test
    void escapingCountsTowardsTheLimitAndNeverCutsAnEntityInHalf() throws Exception {
        channel.deliver(message("<&>".repeat(1333)), ROUTE);

        String section = sectionText(slack.delivered().get(0));
        assertTrue(section.length() <= 3000, "section text is " + section.length() + " characters");
        String kept = section.substring(0, section.length() - "… (truncated)".length());
        assertTrue(kept.matches("(&lt;|&amp;|&gt;)+"), kept.substring(kept.length() - 20));
    }

    @Test
    void slackSaying429IsRetryableAfterTheSecondsItAsksFor() {
        slack.respondNext(429, "rate_limited", Map.of("Retry-After", "2"));

        DeliveryException.Retryable e = assertThrows(DeliveryException.Retryable.class, () -> channel.deliver(message("hello"), ROUTE));

        assertEquals(Duration.ofSeconds(2), e.retryAfter().orElseThrow());
        assertEquals("Slack answered 429 rate_limited", e.getMessage());
        assertEquals(0, slack.deliveries());
    }

    @Test
    void a429WithoutRetryAfterIsRetryableWithoutAHint() {
        slack.respondNext(429, "rate_limited");

        DeliveryException.Retryable e = assertThrows(DeliveryException.Retryable.class, () -> channel.deliver(message("hello"), ROUTE));

        assertTrue(e.retryAfter().isEmpty());
    }

    @ParameterizedTest(name = "Slack saying {0} {1} is retryable")
    @CsvSource({"500, internal_error", "502, bad_gateway", "503, service_unavailable", "504, timeout"})
    void slackServerErrorsAreRetryable(int status, String word) {
        slack.respondNext(status, word);

        DeliveryException.Retryable e = assertThrows(DeliveryException.Retryable.class, () -> channel.deliver(message("hello"), ROUTE));

        assertEquals("Slack answered " + status + " " + word, e.getMessage());
        assertTrue(e.retryAfter().isEmpty());
    }

    @ParameterizedTest(name = "Slack saying {0} {1} is permanent")
    @CsvSource({
            "400, invalid_payload",
            "400, no_text",
            "403, action_prohibited",
            "404, channel_not_found",
            "404, no_service",
            "410, channel_is_archived"})
    void slackRefusingTheWebhookIsPermanentAndSaysWhyWithoutTheUrlOrText(int status, String word) {
        slack.respondNext(status, word);

        DeliveryException.Permanent e = assertThrows(DeliveryException.Permanent.class,
                () -> channel.deliver(message("my secret order details"), ROUTE));

        assertEquals("Slack answered " + status + " " + word, e.getMessage());
        assertDoesNotLeak(e);
    }

    @Test
    void aRetryAfterAServerErrorDeliversExactlyOnce() throws Exception {
        slack.respondNext(500, "internal_error");
        assertThrows(DeliveryException.Retryable.class, () -> channel.deliver(message("hello"), ROUTE));

        channel.deliver(message("hello"), ROUTE);

        assertEquals(2, slack.requests().size());
        assertEquals(1, slack.deliveries());
    }

    @Test
    void anHtmlErrorPageIsNotQuotedInTheError() {
        slack.respondNext(502, "<html><body>Bad Gateway for my secret order details</body></html>");

        DeliveryException.Retryable e = assertThrows(DeliveryException.Retryable.class, () -> channel.deliver(message("hello"), ROUTE));

        assertEquals("Slack answered 502 (unexpected body)", e.getMessage());
    }

    @Test
    void aSuccessStatusWithoutOkIsNotTakenForADelivery() {
        slack.respondNext(200, "<html>captive portal</html>");

        DeliveryException.Permanent e = assertThrows(DeliveryException.Permanent.class, () -> channel.deliver(message("hello"), ROUTE));

        assertEquals("Slack answered 200 (unexpected body)", e.getMessage());
    }

    @Test
    void aRefusedConnectionIsRetryableAndDoesNotNameTheUrl() throws Exception {
        String url = "http://127.0.0.1:" + closedPort() + SlackStub.WEBHOOK_PATH;
        SlackChannel unreachable = new SlackChannel(() -> url, Duration.ofSeconds(2));

        DeliveryException.Retryable e = assertThrows(DeliveryException.Retryable.class,
                () -> unreachable.deliver(message("my secret order details"), ROUTE));

        assertTrue(e.getMessage().startsWith("Slack unreachable"), e.getMessage());
        assertDoesNotLeak(e);
    }

    @Test
    @Timeout(60) // a guard against a hang only: what is checked is that the channel's own timeout ended the call
    void aSlackThatNeverAnswersIsRetryableWithinTheTimeout() throws Exception {
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> holdConnectionsOpen(silent, accepted));
            String url = "http://127.0.0.1:" + silent.getLocalPort() + SlackStub.WEBHOOK_PATH;
            SlackChannel stalled = new SlackChannel(() -> url, Duration.ofMillis(500));

            DeliveryException.Retryable e = assertThrows(DeliveryException.Retryable.class,
                    () -> stalled.deliver(message("my secret order details"), ROUTE));

            // OkHttp's call and read timeouts end in an InterruptedIOException (SocketTimeoutException is one).
            assertInstanceOf(InterruptedIOException.class, e.getCause(), String.valueOf(e.getCause()));
            assertFalse(accepted.isEmpty(), "the call connected and then waited for an answer");
            assertDoesNotLeak(e);
        } finally {
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }

    @Test
    void aMalformedWebhookUrlIsPermanentAndNotQuoted() {
        SlackChannel misconfigured = new SlackChannel(() -> "hooks.slack.com/services/T000/B000/XXXX", Duration.ofSeconds(2));

        DeliveryException.Permanent e = assertThrows(DeliveryException.Permanent.class,
                () -> misconfigured.deliver(message("hello"), ROUTE));

        assertFalse(e.getMessage().contains("T000"), e.getMessage());
    }

    @Test
    void aWebhookUrlThatCannotBeReadYetIsRetryable() {
        SlackChannel noSecret = new SlackChannel(() -> {
            throw new IllegalStateException("cannot read secret landbot-router/slack-webhook-url: throttled");
        });

        DeliveryException.Retryable e = assertThrows(DeliveryException.Retryable.class, () -> noSecret.deliver(message("hello"), ROUTE));

        assertTrue(e.getMessage().contains("throttled"), e.getMessage());
    }

    @Test
    void theChannelIsNamedSlackForRoutes() {
        assertEquals("slack", channel.name());
    }

    private static String sectionText(JsonNode posted) {
        for (JsonNode block : posted.path("blocks")) {
            if (block.path("type").asText().equals("section")) {
                return block.path("text").path("text").asText();
            }
        }
        throw new AssertionError("no section block in " + posted);
    }

    /** What gets recorded as lastError (and any cause someone might log) names neither the webhook nor the text. */
    private static void assertDoesNotLeak(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String text = String.valueOf(t.getMessage());
            assertFalse(text.contains(SlackStub.WEBHOOK_PATH) || text.contains("/services/"), text);
            assertFalse(text.contains("secret order"), text);
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Accepts connections and never answers, like a Slack edge that has stalled. */
    private static void holdConnectionsOpen(ServerSocket server, List<Socket> accepted) {
        try {
            while (true) {
                accepted.add(server.accept());
            }
        } catch (IOException e) {
            // the server socket was closed: the test is over
        }
    }
}
