package com.landbot.router.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.landbot.router.ingest.auth.AccessPolicy;
import com.landbot.router.ingest.auth.Authenticator;
import com.landbot.router.ingest.auth.InMemoryUsedSignatures;
import com.landbot.router.ingest.auth.StaticCredentials;
import com.landbot.router.ingest.idempotency.InMemoryIdempotencyStore;
import com.landbot.router.shared.CachedRoutes;
import com.landbot.router.shared.ChannelTargets;
import com.landbot.router.shared.SlackTarget;
import com.landbot.router.shared.Route;
import com.landbot.router.emulators.Events;
import com.landbot.router.emulators.InMemoryMessageRepository;
import com.landbot.router.emulators.InMemoryRouteStore;
import com.landbot.router.emulators.RecordingMessageQueue;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * A signature is valid for the request it was made for and no other (issue 16, item 1): the handler with
 * in-memory stores, requests signed here by the README's formula, computed independently of the code under test.
 */
class SignedRequestsTest {

    static final String BOT = InMemoryApi.BOT;
    static final String ADMIN = InMemoryApi.ADMIN;
    // The fixtures' requestContext.timeEpoch, and the README's worked example.
    static final Instant NOW = Instant.ofEpochSecond(1_795_860_900L);
    static final String TIMESTAMP = Long.toString(NOW.getEpochSecond());

    final InMemoryApi api = new InMemoryApi(NOW);
    final IngestHandler handler = api.handler;
    final com.landbot.router.emulators.InMemoryMessageRepository messages = api.messages;
    final com.landbot.router.emulators.RecordingMessageQueue queue = api.queue;

    /** HMAC-SHA256 hex of {@code <timestamp>\n<METHOD>\n<path>\n<query>\n<Idempotency-Key>\n<body>}, as the README says. */
    static String readmeSignature(String secret, String timestamp, String method, String path, String query,
                                  String idempotencyKey, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String canonical = timestamp + "\n" + method + "\n" + path + "\n" + query + "\n" + idempotencyKey + "\n" + body;
        return HexFormat.of().formatHex(mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8)));
    }

    /** The event with its bearer token replaced by a signature of the event as it is now. */
    static APIGatewayV2HTTPEvent signed(APIGatewayV2HTTPEvent event, String secret) throws Exception {
        Map<String, String> headers = new HashMap<>(event.getHeaders());
        headers.remove("authorization");
        String key = headers.getOrDefault("idempotency-key", "");
        String body = event.getBody() == null ? "" : event.getBody();
        headers.put("x-timestamp", TIMESTAMP);
        headers.put("x-signature", "sha256=" + readmeSignature(secret, TIMESTAMP, event.getRequestContext().getHttp().getMethod(),
                event.getRawPath(), event.getRawQueryString(), key, body));
        event.setHeaders(headers);
        return event;
    }

    private static APIGatewayV2HTTPEvent retargeted(APIGatewayV2HTTPEvent event, String path, Map<String, String> parameters) {
        event.setRawPath(path);
        event.getRequestContext().getHttp().setPath(path);
        event.setPathParameters(parameters);
        return event;
    }

    private Route route(String topic) {
        return api.route(topic);
    }

    /** The README's worked example, the fixture events/post-sales-signed.json and the code agree. */
    @Test
    void theReadmesWorkedExampleIsTheSignedFixtureAndIsAccepted() throws Exception {
        String expected = readmeSignature(BOT, TIMESTAMP, "POST", "/messages", "", "landbot-session-42-step-7",
                "{\"topic\":\"sales\",\"description\":\"Need a demo\"}");
        String readme = java.nio.file.Files.readString(com.landbot.router.emulators.ProjectPaths.root().resolve("README.md"));
        assertTrue(readme.contains("X-Signature: sha256=" + expected), "README's worked example shows sha256=" + expected);
        assertTrue(readme.contains("1795860900\nPOST\n/messages\n\nlandbot-session-42-step-7\n{\"topic\":\"sales\",\"description\":\"Need a demo\"}"),
                "README shows the canonical string of the example, line by line");

        APIGatewayV2HTTPEvent fixture = Events.load("post-sales-signed.json", APIGatewayV2HTTPEvent.class);
        assertEquals("sha256=" + expected, fixture.getHeaders().get("x-signature"));
        APIGatewayV2HTTPResponse response = handler.handle(fixture);
        assertEquals(202, response.getStatusCode(), response.getBody());
        assertEquals("Need a demo", messages.all().iterator().next().description());
    }

    @Test
    void aSignedPutOfOneTopicSentAgainForAnotherTopicIsRefusedAndChangesNothing() throws Exception {
        APIGatewayV2HTTPEvent support = signed(Events.load("put-topic-support.json", APIGatewayV2HTTPEvent.class), ADMIN);
        assertEquals(201, handler.handle(support).getStatusCode());
        Route salesBefore = route("sales");

        APIGatewayV2HTTPResponse replayedOnSales = handler.handle(
                retargeted(support, "/topics/sales", Map.of("name", "sales")));

        assertEquals(401, replayedOnSales.getStatusCode(), replayedOnSales.getBody());
        assertTrue(replayedOnSales.getBody().contains("the signature does not match"), replayedOnSales.getBody());
        assertEquals(salesBefore, route("sales"));
    }

    @Test
    void aSignatureOverAnEmptyBodyOpensOnlyTheRouteItWasSignedFor() throws Exception {
        APIGatewayV2HTTPEvent topics = signed(Events.load("get-topics.json", APIGatewayV2HTTPEvent.class), ADMIN);
        assertEquals(200, handler.handle(topics).getStatusCode());
        Map<String, String> signature = topics.getHeaders();

        APIGatewayV2HTTPEvent list = Events.load("list-error-messages.json", APIGatewayV2HTTPEvent.class);
        list.setHeaders(signature);
        assertEquals(401, handler.handle(list).getStatusCode(), "GET /messages?status=ERROR");
        APIGatewayV2HTTPEvent get = Events.load("get-message.json", APIGatewayV2HTTPEvent.class);
        get.setHeaders(signature);
        assertEquals(401, handler.handle(get).getStatusCode(), "GET /messages/{id}");
    }

    @Test
    void theQueryIsSigned() throws Exception {
        APIGatewayV2HTTPEvent errors = signed(Events.load("list-error-messages.json", APIGatewayV2HTTPEvent.class), ADMIN);
        assertEquals(200, handler.handle(errors).getStatusCode());

        errors.setRawQueryString("status=SENT&limit=25");
        errors.setQueryStringParameters(Map.of("status", "SENT", "limit", "25"));
        assertEquals(401, handler.handle(errors).getStatusCode());
    }

    @Test
    void anIdempotencyKeyIsSignedWhenPresent() throws Exception {
        APIGatewayV2HTTPEvent post = Events.load("post-sales.json", APIGatewayV2HTTPEvent.class);
        post.getHeaders().put("idempotency-key", "landbot-session-42-step-7");
        signed(post, BOT);
        Map<String, String> asSigned = new HashMap<>(post.getHeaders());
        post.getHeaders().put("idempotency-key", "another-key");
        assertEquals(401, handler.handle(post).getStatusCode(), "the key was changed after signing");

        APIGatewayV2HTTPEvent unkeyed = signed(Events.load("post-sales.json", APIGatewayV2HTTPEvent.class), BOT);
        unkeyed.getHeaders().put("idempotency-key", "added-after-signing");
        assertEquals(401, handler.handle(unkeyed).getStatusCode(), "a key was added after signing");
        assertEquals(List.of(), queue.sent());

        post.setHeaders(asSigned);
        assertEquals(202, handler.handle(post).getStatusCode(), "the request as signed");
    }

    @Test
    void theOldFormTimestampDotBodyIsRefusedAndSaysWhy() throws Exception {
        APIGatewayV2HTTPEvent post = Events.load("post-sales.json", APIGatewayV2HTTPEvent.class);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(BOT.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String old = HexFormat.of().formatHex(mac.doFinal((TIMESTAMP + "." + post.getBody()).getBytes(StandardCharsets.UTF_8)));
        post.getHeaders().remove("authorization");
        post.getHeaders().put("x-timestamp", TIMESTAMP);
        post.getHeaders().put("x-signature", "sha256=" + old);

        APIGatewayV2HTTPResponse response = handler.handle(post);

        assertEquals(401, response.getStatusCode());
        assertTrue(response.getBody().contains("a form no longer accepted"), response.getBody());
        assertEquals(List.of(), queue.sent());
    }

    // ---- a signature is accepted once (issue 16, item 2)

    @Test
    void aSignedPostSentThreeTimesMakesOneMessage() throws Exception {
        APIGatewayV2HTTPEvent post = signed(Events.load("post-sales.json", APIGatewayV2HTTPEvent.class), BOT);

        assertEquals(202, handler.handle(post).getStatusCode());
        APIGatewayV2HTTPResponse second = handler.handle(post);
        APIGatewayV2HTTPResponse third = handler.handle(post);

        assertEquals(401, second.getStatusCode());
        assertEquals(401, third.getStatusCode());
        assertTrue(second.getBody().contains("this signature was used already"), second.getBody());
        assertEquals(1, queue.sent().size());
        assertEquals(1, messages.all().size());
    }

    @Test
    void aSignedReadCannotBeReplayedEither() throws Exception {
        APIGatewayV2HTTPEvent topics = signed(Events.load("get-topics.json", APIGatewayV2HTTPEvent.class), ADMIN);
        assertEquals(200, handler.handle(topics).getStatusCode());
        assertEquals(401, handler.handle(topics).getStatusCode());
    }

    @Test
    void aSignedRequestThatGotA503MayBeSentAgainAsItIsAndThenOnlyOnce() throws Exception {
        APIGatewayV2HTTPEvent post = signed(Events.load("post-sales.json", APIGatewayV2HTTPEvent.class), BOT);
        queue.fail = true;
        assertEquals(503, handler.handle(post).getStatusCode());
        queue.fail = false;

        assertEquals(202, handler.handle(post).getStatusCode(), "the retry of the identical request");
        assertEquals(401, handler.handle(post).getStatusCode());
        assertEquals(1, queue.sent().size());
    }

    @Test
    void bearerTokensAreNotSpent() {
        APIGatewayV2HTTPEvent post = Events.load("post-sales.json", APIGatewayV2HTTPEvent.class);
        assertEquals(202, handler.handle(post).getStatusCode());
        assertEquals(202, handler.handle(post).getStatusCode(), "a bearer token is the same on every request");
    }
}
