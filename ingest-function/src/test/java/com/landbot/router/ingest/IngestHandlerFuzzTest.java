package com.landbot.router.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.landbot.router.ingest.auth.Authenticator;
import com.landbot.router.ingest.auth.StaticCredentials;
import com.landbot.router.ingest.idempotency.InMemoryIdempotencyStore;
import com.landbot.router.shared.Json;
import com.landbot.router.shared.Message;
import com.landbot.router.shared.RoutingTable;
import com.landbot.router.testing.Emulators;
import com.landbot.router.testing.InMemoryMessageRepository;
import com.landbot.router.testing.RecordingMessageQueue;
import com.landbot.router.testing.TestStack;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Hostile input, generated: malformed, truncated and deeply nested JSON, huge strings, wrong types, nulls,
 * duplicate keys, invalid UTF-8, control characters, emoji, scripts and Slack mentions, wrong content types,
 * empty and oversized bodies, bad or missing credentials and idempotency keys. Whatever arrives:
 * <ul>
 *   <li>the handler returns (no exception escapes) and never answers 5xx;</li>
 *   <li>every answer is a JSON body; without valid credentials it is a 401;</li>
 *   <li>a 4xx leaves the table and the queue as they were;</li>
 *   <li>a 202 stored and queued exactly one message, holding exactly the description that was sent, trimmed.</li>
 * </ul>
 * Most tries run against in-memory fakes (fast); a smaller property runs the same generator against the emulators.
 */
class IngestHandlerFuzzTest {

    private static final String TOKEN = "fuzz-token";
    private static final Instant NOW = Instant.parse("2026-11-29T10:15:00Z");
    /** Jackson with its defaults: an independent reading of what the bot sent. */
    private static final ObjectMapper ORACLE = new ObjectMapper();

    /** A generated request and whether its credentials are valid. */
    record HostileRequest(APIGatewayV2HTTPEvent event, boolean authorized, byte[] rawBody) {
        @Override
        public String toString() {
            return "HostileRequest[route=" + event.getRouteKey() + ", base64=" + event.getIsBase64Encoded() + ", authorized=" + authorized
                    + ", headers=" + event.getHeaders() + ", body=" + abbreviate(event.getBody()) + "]";
        }

        private static String abbreviate(String body) {
            return body == null ? null : body.length() <= 300 ? body : body.substring(0, 300) + "...(" + body.length() + " chars)";
        }
    }

    // ---- properties ----

    @Property(tries = 2500)
    void hostileRequestsGetAClear4xxOrAFaithful202(@ForAll("requests") HostileRequest request) throws Exception {
        InMemoryMessageRepository repository = new InMemoryMessageRepository();
        RecordingMessageQueue queue = new RecordingMessageQueue();
        IngestHandler handler = new IngestHandler(
                new IngestService(new RequestValidator(RoutingTable.defaults()), repository, queue, Clock.fixed(NOW, ZoneOffset.UTC),
                        () -> UUID.randomUUID().toString(), new InMemoryIdempotencyStore()),
                new Authenticator(new StaticCredentials(List.of(TOKEN)), Clock.fixed(NOW, ZoneOffset.UTC)));

        APIGatewayV2HTTPResponse response = invoke(handler, request);

        if (response.getStatusCode() == 202) {
            assertEquals(1, repository.all().size());
            assertEquals(1, queue.sent().size());
            Message stored = repository.all().iterator().next();
            assertFaithful(request, stored.topic(), stored.description());
            assertEquals(stored.id(), queue.sent().get(0).id());
        } else {
            assertEquals(List.of(), List.copyOf(repository.all()), "a " + response.getStatusCode() + " stored nothing");
            assertEquals(List.of(), queue.sent(), "a " + response.getStatusCode() + " queued nothing");
        }
    }

    private static TestStack stack;
    private static IngestHandler emulatorHandler;

    @BeforeContainer
    static void createStack() {
        stack = TestStack.create();
        Map<String, String> env = new HashMap<>(stack.functionEnvironment());
        env.put("AUTH_TOKENS", TOKEN);
        emulatorHandler = new IngestHandler(env, Emulators.get().clients());
    }

    @AfterContainer
    static void deleteStack() {
        if (stack != null) {
            stack.close();
        }
    }

    /** The same generator against DynamoDB (moto) and SQS (ElasticMQ): what the real SDK and stores make of it. */
    @Property(tries = 150)
    void hostileRequestsAgainstTheEmulatorsLeaveTheStoresTruthful(@ForAll("emulatorRequests") HostileRequest request) throws Exception {
        int itemsBefore = stack.items().size();
        int queuedBefore = stack.approximateCount(stack.queueUrl());

        APIGatewayV2HTTPResponse response = invoke(emulatorHandler, request);

        List<Map<String, AttributeValue>> items = stack.items();
        if (response.getStatusCode() == 202) {
            String id = Json.MAPPER.readTree(response.getBody()).get("id").asText();
            Map<String, AttributeValue> item = items.stream().filter(i -> i.get("id").s().equals(id)).findFirst().orElseThrow();
            assertFaithful(request, item.get("topic").s(), item.get("description").s());
            assertEquals(itemsBefore + 1, items.size());
            assertEquals(queuedBefore + 1, stack.approximateCount(stack.queueUrl()));
        } else {
            assertEquals(itemsBefore, items.size());
            assertEquals(queuedBefore, stack.approximateCount(stack.queueUrl()));
        }
    }

    private static APIGatewayV2HTTPResponse invoke(IngestHandler handler, HostileRequest request) throws Exception {
        APIGatewayV2HTTPResponse response;
        try {
            response = handler.handleRequest(request.event(), null);
        } catch (Throwable e) {
            fail("the handler threw " + e, e);
            return null;
        }
        int status = response.getStatusCode();
        // Printed with each property's report: shows the generator reaches 202 as well as every kind of 4xx.
        net.jqwik.api.statistics.Statistics.collect(status);
        assertTrue(status < 500, "status " + status + ": " + response.getBody());
        assertEquals("application/json", response.getHeaders().get("Content-Type"));
        JsonNode body = Json.MAPPER.readTree(response.getBody());
        if (!request.authorized()) {
            assertEquals(401, status, response.getBody());
        } else {
            assertTrue(status != 401, response.getBody());
        }
        if (status >= 400) {
            assertTrue(body.get("error").isTextual() && body.get("details").isArray(), response.getBody());
            assertTrue(!response.getBody().contains(TOKEN), "no answer quotes the secret");
        }
        return response;
    }

    /** A 202 stored what the caller sent: the topic normalised, the description trimmed, nothing else changed. */
    private static void assertFaithful(HostileRequest request, String storedTopic, String storedDescription) throws Exception {
        JsonNode sent = ORACLE.readTree(new String(request.rawBody(), StandardCharsets.UTF_8));
        assertEquals(sent.get("topic").textValue().strip().toLowerCase(java.util.Locale.ROOT), storedTopic);
        assertEquals(sent.get("description").textValue().strip(), storedDescription);
        assertTrue(storedDescription.codePointCount(0, storedDescription.length()) <= RequestValidator.MAX_DESCRIPTION_LENGTH);
        assertEquals(storedDescription, new String(utf8(storedDescription), StandardCharsets.UTF_8), "valid Unicode, storable as UTF-8");
    }

    // ---- generators ----

    @Provide
    Arbitrary<HostileRequest> requests() {
        return Combinators.combine(routes(), contentTypes(), credentials(), idempotencyKeys(), bodies(), Arbitraries.integers().between(0, 9))
                .as((route, type, credential, key, body, encoding) -> request(route, type, credential, key, body, encoding, NOW));
    }

    /** POST only, signed with the real clock (the emulator-backed handler's). */
    @Provide
    Arbitrary<HostileRequest> emulatorRequests() {
        return Combinators.combine(Arbitraries.just("POST /messages"), contentTypes(), credentials(), idempotencyKeys(), bodies(),
                        Arbitraries.integers().between(0, 9))
                .as((route, type, credential, key, body, encoding) -> request(route, type, credential, key, body, encoding, Instant.now()));
    }

    private static HostileRequest request(String route, String contentType, String credential, String idempotencyKey, byte[] body,
                                          int encoding, Instant now) {
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        Map<String, String> headers = new LinkedHashMap<>();
        if (contentType != null) {
            headers.put(encoding % 2 == 0 ? "content-type" : "Content-Type", contentType);
        }
        if (idempotencyKey != null) {
            headers.put("idempotency-key", idempotencyKey);
        }
        boolean authorized;
        String timestamp = Long.toString(now.getEpochSecond());
        switch (credential) {
            case "valid-bearer" -> {
                headers.put("authorization", "Bearer " + TOKEN);
                authorized = true;
            }
            case "valid-signature" -> {
                headers.put("x-timestamp", timestamp);
                headers.put("x-signature", Authenticator.signatureHeader(TOKEN, timestamp, body));
                authorized = true;
            }
            case "stale-signature" -> {
                String stale = Long.toString(now.getEpochSecond() - 301);
                headers.put("x-timestamp", stale);
                headers.put("x-signature", Authenticator.signatureHeader(TOKEN, stale, body));
                authorized = false;
            }
            case "signature-of-other-body" -> {
                headers.put("x-timestamp", timestamp);
                headers.put("x-signature", Authenticator.signatureHeader(TOKEN, timestamp, "{}".getBytes(StandardCharsets.UTF_8)));
                authorized = false;
            }
            case "none" -> authorized = false;
            default -> {
                headers.put(credential.startsWith("sig:") ? "x-signature" : "authorization", credential);
                authorized = false;
            }
        }
        event.setHeaders(headers);
        // API Gateway sends the matched route's key, and the path as requested.
        event.setRawPath(route.substring(route.indexOf(' ') + 1));
        if (route.startsWith("GET")) {
            event.setRouteKey(IngestHandler.GET_MESSAGE);
            event.setPathParameters(Map.of("id", route.substring("GET /messages/".length())));
        } else {
            event.setRouteKey(route);
        }
        // API Gateway base64-encodes bodies it does not take for text; invalid UTF-8 can only arrive that way.
        event.setIsBase64Encoded(encoding >= 7 || !isUtf8(body));
        if (encoding == 9 && body.length > 0) {
            event.setBody("not*base64!");
            event.setIsBase64Encoded(true);
            // A signature covers bytes; these are not the ones signed.
            authorized &= !credential.equals("valid-signature");
        } else if (event.getIsBase64Encoded()) {
            event.setBody(Base64.getEncoder().encodeToString(body));
        } else {
            event.setBody(encoding == 6 && body.length == 0 ? null : new String(body, StandardCharsets.UTF_8));
        }
        return new HostileRequest(event, authorized, body);
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    private static Arbitrary<String> routes() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(12, Arbitraries.just("POST /messages")),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("GET /messages/" + UUID.randomUUID(), "GET /messages/not-a-uuid",
                        "GET /messages/%00<script>", "GET /messages/")));
    }

    private static Arbitrary<String> contentTypes() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.of("application/json", "application/json; charset=utf-8", "APPLICATION/JSON")),
                net.jqwik.api.Tuple.of(2, Arbitraries.of("text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin1",
                        "multipart/form-data; boundary=x", "", "application/jsonp", "application/json;charset")),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().all().ofMaxLength(60)),
                net.jqwik.api.Tuple.of(1, Arbitraries.<String>just(null)));
    }

    private static Arbitrary<String> credentials() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(10, Arbitraries.just("valid-bearer")),
                net.jqwik.api.Tuple.of(2, Arbitraries.just("valid-signature")),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("none", "stale-signature", "signature-of-other-body", "Bearer", "Bearer fuzz-toke",
                        "Bearer fuzz-token-", "Basic Zm9vOmJhcg==", "fuzz-token", "sig:deadbeef")),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().all().ofMaxLength(80).map(s -> "Bearer " + s)
                        .filter(s -> !s.strip().equalsIgnoreCase("Bearer " + TOKEN))));
    }

    private static Arbitrary<String> idempotencyKeys() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.<String>just(null)),
                net.jqwik.api.Tuple.of(3, Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(128)),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().all().ofMaxLength(200)));
    }

    private static Arbitrary<byte[]> bodies() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, wellFormedObjects().map(IngestHandlerFuzzTest::utf8)),
                net.jqwik.api.Tuple.of(2, wellFormedObjects().flatMap(json -> Arbitraries.integers().between(0, Math.max(0, json.length() - 1))
                        .map(cut -> utf8(json.substring(0, cut))))),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(
                        "{\"topic\":\"sales\",\"topic\":\"pricing\",\"description\":\"x\"}",
                        "{\"topic\":\"sales\",\"description\":\"a\",\"description\":\"b\"}",
                        "{\"topic\":\"sales\",\"description\":\"x\"} {}", "[]", "42", "\"sales\"", "null", "true", "{}", "",
                        " ", "{\"topic\":\"sales\",\"description\":\"x\"", "{'topic':'sales','description':'x'}",
                        "{\"topic\":\"sales\",\"description\":\"\\ud800\"}", "{\"topic\":\"sales\",\"description\":\"\\u0000\"}",
                        "\ufeff{\"topic\":\"sales\",\"description\":\"bom\"}", "{\"topic\":\"sales\",\"description\":NaN}")
                        .map(IngestHandlerFuzzTest::utf8)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, 5000).map(depth ->
                        utf8("{\"topic\":\"sales\",\"description\":\"x\",\"nested\":" + "[".repeat(depth) + "]".repeat(depth) + "}"))),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, 3000).map(depth ->
                        utf8("{\"a\":".repeat(depth) + "1" + "}".repeat(depth)))),
                net.jqwik.api.Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(300)),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().all().ofMaxLength(300).map(IngestHandlerFuzzTest::utf8)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(16 * 1024 - 40, 16 * 1024 + 40).map(size ->
                        utf8("{\"topic\":\"sales\",\"description\":\"" + "x".repeat(size) + "\"}"))));
    }

    /** Objects that parse: known, unknown and oddly written topics; hostile descriptions; wrong types; extra fields. */
    private static Arbitrary<String> wellFormedObjects() {
        Arbitrary<Object> topic = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.of("sales", "pricing", " SALES ", "Pricing", "\tsales\n")),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("support", "", "   ", "sales\u0000", "ſales", "<!channel>")),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(42, true, List.of("sales"), Map.of("name", "sales")).map(o -> (Object) o)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(null)));
        Arbitrary<Object> description = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, hostileText().map(s -> (Object) s)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(0, -1.5, false, List.of(), Map.of("text", "x")).map(o -> (Object) o)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(null)));
        return Combinators.combine(topic, description, Arbitraries.integers().between(0, 3)).as((t, d, shape) -> {
            Map<String, Object> object = new LinkedHashMap<>();
            if (shape != 1) {
                object.put("topic", t);
            }
            if (shape != 2) {
                object.put("description", d);
            }
            if (shape == 3) {
                object.put("customer", Map.of("name", "Ann", "email", "ann@example.com"));
            }
            try {
                return ORACLE.writeValueAsString(object);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** What a customer (or an attacker) types into a bot. */
    static Arbitrary<String> hostileText() {
        Arbitrary<String> fragments = Arbitraries.of(
                "<!channel>", "<!here>", "<!everyone>", "<@U024BE7LH>", "<#C024BE7LR>", "@here", "@channel",
                "<http://evil.example|click me>", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
                "\"><b>bold</b>", "&amp;", "&lt;!channel&gt;", "*bold* _it_ ~strike~ `code`", "```block```",
                "😀", "👍🏽", "👨‍👩‍👧", "\u202e", "\u200b", "\u0000", "\u0007", "\u001b[31m", "\r\n", "\n", "\t", "\u2028",
                "Subject: injected\r\nBcc: all@example.com", "'; DROP TABLE messages; --", "${jndi:ldap://x}", " ");
        Arbitrary<String> mixed = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, fragments),
                net.jqwik.api.Tuple.of(2, Arbitraries.strings().all().ofMaxLength(40)),
                net.jqwik.api.Tuple.of(2, Arbitraries.strings().alpha().numeric().withChars(" .,!?").ofMaxLength(60)));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, mixed.list().ofMaxSize(12).map(parts -> String.join("", parts))),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(3990, 4010).map(n -> "a".repeat(n))),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1990, 2010).map(n -> "😀".repeat(n))),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1300, 1400).map(n -> "<&>".repeat(n))));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
