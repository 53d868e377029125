package com.landbot.router.ingest;

import static com.landbot.router.emulators.Generators.concatenation;
import static com.landbot.router.emulators.Generators.replayable;
import static com.landbot.router.emulators.Generators.text;
import static com.landbot.router.emulators.Generators.values;
import static com.landbot.router.emulators.Generators.w;
import static com.landbot.router.emulators.Generators.weighted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.landbot.router.ingest.auth.Authenticator;
import com.landbot.router.emulators.TemplateDefinitions;
import com.landbot.router.ingest.auth.StaticCredentials;
import com.landbot.router.ingest.idempotency.InMemoryIdempotencyStore;
import com.landbot.router.shared.Json;
import com.landbot.router.shared.Message;
import com.landbot.router.shared.RoutingTable;
import com.landbot.router.emulators.Emulators;
import com.landbot.router.emulators.Generators;
import com.landbot.router.emulators.InMemoryMessageRepository;
import com.landbot.router.emulators.RecordingMessageQueue;
import com.landbot.router.emulators.TestStack;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Hostile input, generated (QuickTheories): malformed, truncated and deeply nested JSON, huge strings, wrong types, nulls,
 * duplicate keys, invalid UTF-8, control characters, emoji, scripts and Slack mentions, wrong content types,
 * empty and oversized bodies, bad or missing credentials and idempotency keys, odd headers. About a third of the
 * requests are valid (with hostile but acceptable descriptions), so the 202 path is checked as often as the 4xx ones.
 * Whatever arrives:
 * <ul>
 *   <li>the handler returns (no exception escapes) and never answers 5xx;</li>
 *   <li>every answer is a JSON body; without valid credentials it is a 401;</li>
 *   <li>a 4xx leaves the table and the queue as they were;</li>
 *   <li>a 202 stored and queued exactly one message, holding exactly the description that was sent, trimmed.</li>
 * </ul>
 * Most tries run against in-memory fakes (fast); a smaller property runs the same generator against the emulators.
 *
 * <p>The seed is random per run and printed; replay a failure with {@code -DQT_SEED=<seed>} (QuickTheories also
 * prints "Seed was ..." under a falsified property).
 */
@Tag("integration")
class IngestHandlerFuzzIntegrationTest {

    private static final String TOKEN = "fuzz-token";
    private static final Instant NOW = Instant.parse("2026-11-29T10:15:00Z");
    /** Jackson with its defaults: an independent reading of what the bot sent. */
    private static final ObjectMapper ORACLE = new ObjectMapper();

    /**
     * Tries asked of QuickTheories, and the least that must run: it skips a generated value it has already tried,
     * so it is asked for more than the floor.
     */
    private static final int IN_MEMORY_TRIES = 5000;
    private static final int IN_MEMORY_MIN_TRIES = 2500;
    private static final int EMULATOR_TRIES = 160;
    private static final int EMULATOR_MIN_TRIES = 150;
    private static final long SEED = Generators.SEED;

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

    /** Answers by status, printed after each property: shows the generator reaches 202 as well as every kind of 4xx. */
    static final class Statuses {
        private final Map<Integer, Integer> counts = new TreeMap<>();
        private int tries;

        void collect(int status) {
            counts.merge(status, 1, Integer::sum);
            tries++;
        }

        double share(int status) {
            return tries == 0 ? 0 : counts.getOrDefault(status, 0) / (double) tries;
        }

        String report(String property) {
            return String.format(Locale.ROOT, "%s: %d tries (seed %d), 202 in %.1f%%, statuses %s", property, tries, SEED,
                    100 * share(202), counts);
        }
    }

    @BeforeAll
    static void printSeed() {
        System.out.println("IngestHandlerFuzzIntegrationTest seed " + SEED + " (replay with -DQT_SEED=" + SEED + ")");
    }

    // ---- properties ----

    @Test
    void hostileRequestsGetAClear4xxOrAFaithful202() {
        Statuses statuses = new Statuses();
        try {
            replayable(() -> qt().withFixedSeed(SEED).withExamples(IN_MEMORY_TRIES).withShrinkCycles(500)
                    .forAll(requests(() -> NOW))
                    .checkAssert(request -> inMemory(request, statuses)));
        } finally {
            System.out.println(statuses.report("hostileRequestsGetAClear4xxOrAFaithful202"));
        }
        assertTrue(statuses.tries >= IN_MEMORY_MIN_TRIES, statuses.report("too few distinct tries"));
        assertTrue(statuses.share(202) >= 0.25, statuses.report("the generator reaches 202 often"));
    }

    private static void inMemory(HostileRequest request, Statuses statuses) {
        InMemoryMessageRepository repository = new InMemoryMessageRepository();
        RecordingMessageQueue queue = new RecordingMessageQueue();
        IngestHandler handler = new IngestHandler(
                new IngestService(new RequestValidator(RoutingTable.of(TemplateDefinitions.seedTopics())), repository, queue, Clock.fixed(NOW, ZoneOffset.UTC),
                        () -> UUID.randomUUID().toString(), new InMemoryIdempotencyStore()),
                null, null, new com.landbot.router.ingest.auth.AccessPolicy(new Authenticator(new StaticCredentials(List.of(TOKEN)), Clock.fixed(NOW, ZoneOffset.UTC)),
                        null, new com.landbot.router.ingest.auth.InMemoryUsedSignatures(), Clock.fixed(NOW, ZoneOffset.UTC)));

        APIGatewayV2HTTPResponse response = invoke(handler, request, statuses, null);

        if (response.getStatusCode() == 202) {
            assertEquals(1, repository.all().size());
            assertEquals(1, queue.sent().size());
            Message stored = repository.all().iterator().next();
            assertFaithful(request, stored.topic(), stored.description());
            assertEquals(RoutingTable.of(TemplateDefinitions.seedTopics()).channelFor(stored.topic()).orElseThrow(), stored.channel(),
                    "the routing table chose the channel, whatever else the body said");
            assertEquals(stored.id(), queue.sent().get(0).id());
        } else {
            assertEquals(List.of(), List.copyOf(repository.all()), "a " + response.getStatusCode() + " stored nothing");
            assertEquals(List.of(), queue.sent(), "a " + response.getStatusCode() + " queued nothing");
        }
    }

    /** The same generator against DynamoDB (moto) and SQS (ElasticMQ): what the real SDK and stores make of it. */
    @Test
    void hostileRequestsAgainstTheEmulatorsLeaveTheStoresTruthful() {
        Statuses statuses = new Statuses();
        try (TestStack stack = TestStack.create()) {
            Map<String, String> env = new HashMap<>(stack.functionEnvironment());
            env.put("AUTH_TOKENS", TOKEN);
            IngestHandler handler = new IngestHandler(env, Emulators.get().clients());
            replayable(() -> qt().withFixedSeed(SEED).withExamples(EMULATOR_TRIES).withShrinkCycles(30)
                    // POST only, signed with the real clock (the emulator-backed handler's).
                    .forAll(postRequests(Instant::now))
                    .checkAssert(request -> againstEmulators(stack, handler, request, statuses)));
        } finally {
            System.out.println(statuses.report("hostileRequestsAgainstTheEmulatorsLeaveTheStoresTruthful"));
        }
        assertTrue(statuses.tries >= EMULATOR_MIN_TRIES, statuses.report("too few distinct tries"));
        assertTrue(statuses.share(202) >= 0.15, statuses.report("the generator reaches 202 often"));
    }

    /** Signatures the shared emulator-backed handler has accepted: a second use is refused (a generated duplicate). */
    private static final java.util.Set<String> SPENT_SIGNATURES = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private static void againstEmulators(TestStack stack, IngestHandler handler, HostileRequest request, Statuses statuses) {
        int itemsBefore = stack.items().size();
        int queuedBefore = stack.approximateCount(stack.queueUrl());

        APIGatewayV2HTTPResponse response = invoke(handler, request, statuses, SPENT_SIGNATURES);

        List<Map<String, AttributeValue>> items = stack.items();
        if (response.getStatusCode() == 202) {
            String id = readTree(response.getBody()).get("id").asText();
            Map<String, AttributeValue> item = items.stream().filter(i -> i.get("id").s().equals(id)).findFirst().orElseThrow();
            assertFaithful(request, item.get("topic").s(), item.get("description").s());
            // A replay (same Idempotency-Key, same body) answers with the first message and stores nothing new.
            int added = "true".equals(response.getHeaders().get("Idempotent-Replayed")) ? 0 : 1;
            assertEquals(itemsBefore + added, items.size());
            assertEquals(queuedBefore + added, stack.approximateCount(stack.queueUrl()));
        } else {
            assertEquals(itemsBefore, items.size());
            assertEquals(queuedBefore, stack.approximateCount(stack.queueUrl()));
        }
    }

    /** @param spentSignatures signatures the handler has accepted before, when it is shared between requests; else null */
    private static APIGatewayV2HTTPResponse invoke(IngestHandler handler, HostileRequest request, Statuses statuses,
                                                   java.util.Set<String> spentSignatures) {
        APIGatewayV2HTTPResponse response;
        try {
            response = handler.handle(request.event());
        } catch (Throwable e) {
            fail("the handler threw " + e, e);
            return null;
        }
        int status = response.getStatusCode();
        statuses.collect(status);
        assertTrue(status < 500, "status " + status + ": " + response.getBody());
        assertEquals("application/json", response.getHeaders().get("Content-Type"));
        JsonNode body = readTree(response.getBody());
        String signature = request.event().getHeaders() == null ? null : request.event().getHeaders().get("x-signature");
        boolean replayed = request.authorized() && spentSignatures != null && signature != null && spentSignatures.contains(signature);
        if (!request.authorized() || replayed) {
            assertEquals(401, status, response.getBody());
        } else {
            assertTrue(status != 401, response.getBody());
        }
        if (spentSignatures != null && signature != null && status != 401 && status != 409 && status < 500) {
            spentSignatures.add(signature);
        }
        if (status >= 400) {
            assertTrue(body.get("error").isTextual() && body.get("details").isArray(), response.getBody());
            assertTrue(!response.getBody().contains(TOKEN), "no answer quotes the secret");
        }
        return response;
    }

    /** A 202 stored what the caller sent: the topic normalised, the description trimmed, nothing else changed. */
    private static void assertFaithful(HostileRequest request, String storedTopic, String storedDescription) {
        JsonNode sent;
        try {
            sent = ORACLE.readTree(new String(request.rawBody(), StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError("a 202 for a body Jackson cannot read: " + e, e);
        }
        assertEquals(sent.get("topic").textValue().strip().toLowerCase(Locale.ROOT), storedTopic);
        assertEquals(sent.get("description").textValue().strip(), storedDescription);
        assertTrue(storedDescription.codePointCount(0, storedDescription.length()) <= RequestValidator.MAX_DESCRIPTION_LENGTH);
        assertEquals(storedDescription, new String(utf8(storedDescription), StandardCharsets.UTF_8), "valid Unicode, storable as UTF-8");
    }

    private static JsonNode readTree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    // ---- generators ----

    /** One in three valid (with hostile content), the rest hostile in every other way; both routes. */
    static Gen<HostileRequest> requests(Supplier<Instant> now) {
        return weighted(
                w(1, validRequests(now)),
                w(2, hostileRequests(routes(), now)));
    }

    static Gen<HostileRequest> postRequests(Supplier<Instant> now) {
        return weighted(
                w(1, validRequests(now)),
                w(2, hostileRequests(Generate.constant("POST /messages"), now)));
    }

    private static Gen<HostileRequest> hostileRequests(Gen<String> routes, Supplier<Instant> now) {
        Gen<String> contentTypes = contentTypes();
        Gen<String> credentials = credentials();
        Gen<String> idempotencyKeys = idempotencyKeys();
        Gen<byte[]> bodies = bodies();
        Gen<Map<String, String>> extraHeaders = extraHeaders();
        Gen<Integer> encodings = Generate.range(0, 9);
        return in -> request(routes.generate(in), contentTypes.generate(in), credentials.generate(in), idempotencyKeys.generate(in),
                bodies.generate(in), extraHeaders.generate(in), encodings.generate(in), now.get());
    }

    /**
     * Requests the API must accept: a known topic (any case, padded), a description that is hostile but non-blank,
     * valid Unicode and at most 4,000 characters once trimmed, good credentials, a JSON content type, a valid or no
     * Idempotency-Key, a text or base64 body. Extra fields, including a "channel" trying to override the routing.
     */
    private static Gen<HostileRequest> validRequests(Supplier<Instant> now) {
        Gen<String> contentTypes = values("application/json", "application/json; charset=utf-8", "APPLICATION/JSON",
                "application/json;charset=\"UTF-8\"", " application/json ", "Application/Json; Charset=UTF-8");
        Gen<String> credentials = weighted(w(3, Generate.constant("valid-bearer")), w(1, Generate.constant("valid-signature")));
        Gen<String> idempotencyKeys = weighted(
                w(2, Generate.constant((String) null)),
                w(1, text(Generate.range(1, 128), Generate.range('!', '~'))));
        Gen<Object> topics = values(" SALES ", "pricing", "sales", "Pricing", "\tsales\n", "\u2003PRICING", "SaLeS");
        Gen<Object> descriptions = weighted(
                w(8, hostileText().map(s -> s.isBlank() ? s + "x" : s)),
                w(1, Generate.range(3990, 4000).map(n -> " \n" + "a".repeat(n) + "\t ")),
                w(1, Generate.range(3990, 4000).map("😀"::repeat)),
                w(1, Generate.range(1300, 1333).map("<&>"::repeat)));
        Gen<String> objects = objects(topics, descriptions, values(0, 3, 4, 5, 6));
        Gen<Map<String, String>> extraHeaders = extraHeaders();
        Gen<Integer> encodings = Generate.range(0, 8);
        return in -> request("POST /messages", contentTypes.generate(in), credentials.generate(in), idempotencyKeys.generate(in),
                utf8(objects.generate(in)), extraHeaders.generate(in), encodings.generate(in), now.get());
    }

    private static HostileRequest request(String route, String contentType, String credential, String idempotencyKey, byte[] body,
                                          Map<String, String> extraHeaders, int encoding, Instant now) {
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        Map<String, String> headers = new LinkedHashMap<>(extraHeaders);
        if (contentType != null) {
            headers.put(encoding % 2 == 0 ? "content-type" : "Content-Type", contentType);
        }
        if (idempotencyKey != null) {
            headers.put(encoding % 3 == 0 ? "Idempotency-Key" : "idempotency-key", idempotencyKey);
        }
        boolean authorized;
        String timestamp = Long.toString(now.getEpochSecond());
        switch (credential) {
            case "valid-bearer" -> {
                headers.put(encoding % 4 == 0 ? "Authorization" : "authorization", (encoding % 5 == 0 ? "bearer  " : "Bearer ") + TOKEN);
                authorized = true;
            }
            case "valid-signature" -> {
                headers.put("x-timestamp", timestamp);
                headers.put("x-signature", Authenticator.signatureHeader(TOKEN, timestamp, signable(route, headers, body)));
                authorized = true;
            }
            case "stale-signature" -> {
                String stale = Long.toString(now.getEpochSecond() - 301);
                headers.put("x-timestamp", stale);
                headers.put("x-signature", Authenticator.signatureHeader(TOKEN, stale, signable(route, headers, body)));
                authorized = false;
            }
            case "signature-of-other-body" -> {
                headers.put("x-timestamp", timestamp);
                // Signed over the body plus one byte: never the bytes sent (a fixed "{}" matched when the body was "{}").
                byte[] other = java.util.Arrays.copyOf(body, body.length + 1);
                headers.put("x-signature", Authenticator.signatureHeader(TOKEN, timestamp, signable(route, headers, other)));
                authorized = false;
            }
            case "none" -> authorized = false;
            default -> {
                headers.put(credential.startsWith("sig:") ? "x-signature" : "authorization", credential);
                authorized = false;
            }
        }
        // No headers at all: the handler must not need the map.
        event.setHeaders(headers.isEmpty() && encoding % 2 == 1 ? null : headers);
        // API Gateway sends the matched route's key, and the path as requested.
        event.setRawPath(route.substring(route.indexOf(' ') + 1));
        if (route.startsWith("GET")) {
            event.setRouteKey(Endpoint.GET_MESSAGE.routeKey());
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

    /** The request as the handler will authenticate it: method and path of the route, no query. */
    private static com.landbot.router.ingest.auth.AuthRequest signable(String route, Map<String, String> headers, byte[] body) {
        String[] methodAndPath = route.split(" ", 2);
        return new com.landbot.router.ingest.auth.AuthRequest(methodAndPath[0], methodAndPath[1], "",
                Authenticator.Headers.of(headers), body);
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    private static Gen<String> routes() {
        return weighted(
                w(12, Generate.constant("POST /messages")),
                w(1, values("GET /messages/3f2b8a4e-9c1d-4e7f-8a6b-2d5c9e0f1a3b", "GET /messages/not-a-uuid",
                        "GET /messages/%00<script>", "GET /messages/")));
    }

    private static Gen<String> contentTypes() {
        return weighted(
                w(8, values("application/json", "application/json; charset=utf-8", "APPLICATION/JSON")),
                w(2, values("text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin1",
                        "multipart/form-data; boundary=x", "", "application/jsonp", "application/json;charset")),
                w(1, anyText(60)),
                w(1, Generate.constant((String) null)));
    }

    private static Gen<String> credentials() {
        return weighted(
                w(10, Generate.constant("valid-bearer")),
                w(2, Generate.constant("valid-signature")),
                w(1, values("none", "stale-signature", "signature-of-other-body", "Bearer", "Bearer fuzz-toke",
                        "Bearer fuzz-token-", "Basic Zm9vOmJhcg==", "fuzz-token", "sig:deadbeef")),
                w(1, anyText(80).map(s -> "Bearer " + (s.strip().equals(TOKEN) ? s + "!" : s))));
    }

    private static Gen<String> idempotencyKeys() {
        return weighted(
                w(6, Generate.constant((String) null)),
                w(3, text(Generate.range(1, 128), Generate.range('!', '~'))),
                w(1, anyText(200)));
    }

    /** Headers nobody asked for, which must change nothing. */
    private static Gen<Map<String, String>> extraHeaders() {
        Gen<String> names = values("user-agent", "x-forwarded-for", "content-length", "host", "accept", "x-amzn-trace-id", "cookie");
        Gen<Map<String, String>> some = in -> {
            Map<String, String> headers = new LinkedHashMap<>();
            int count = Generate.range(1, 4).generate(in);
            for (int i = 0; i < count; i++) {
                headers.put(names.generate(in), anyText(100).generate(in));
            }
            return headers;
        };
        return weighted(w(3, Generate.constant(Map.of())), w(1, some));
    }

    private static Gen<byte[]> bodies() {
        Gen<String> wellFormed = wellFormedObjects();
        return weighted(
                w(6, wellFormed.map(IngestHandlerFuzzIntegrationTest::utf8)),
                w(2, in -> {
                    String json = wellFormed.generate(in);
                    return utf8(json.substring(0, Generate.range(0, Math.max(0, json.length() - 1)).generate(in)));
                }),
                w(1, values(
                        "{\"topic\":\"sales\",\"topic\":\"pricing\",\"description\":\"x\"}",
                        "{\"topic\":\"sales\",\"description\":\"a\",\"description\":\"b\"}",
                        "{\"topic\":\"sales\",\"description\":\"x\"} {}", "[]", "42", "\"sales\"", "null", "true", "{}", "",
                        " ", "{\"topic\":\"sales\",\"description\":\"x\"", "{'topic':'sales','description':'x'}",
                        "{\"topic\":\"sales\",\"description\":\"\\ud800\"}", "{\"topic\":\"sales\",\"description\":\"\\u0000\"}",
                        "\ufeff{\"topic\":\"sales\",\"description\":\"bom\"}", "{\"topic\":\"sales\",\"description\":NaN}",
                        "{\"topic\":\"sales\",\"description\":\"x\",}", "{\"topic\":\"sales\"/*c*/,\"description\":\"x\"}")
                        .map(IngestHandlerFuzzIntegrationTest::utf8)),
                w(1, Generate.range(1, 5000).map(depth ->
                        utf8("{\"topic\":\"sales\",\"description\":\"x\",\"nested\":" + "[".repeat(depth) + "]".repeat(depth) + "}"))),
                w(1, Generate.range(1, 3000).map(depth -> utf8("{\"a\":".repeat(depth) + "1" + "}".repeat(depth)))),
                w(1, Generate.byteArrays(Generate.range(0, 300), Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0))),
                w(1, anyText(300).map(IngestHandlerFuzzIntegrationTest::utf8)),
                w(1, Generate.range(16 * 1024 - 40, 16 * 1024 + 40).map(size ->
                        utf8("{\"topic\":\"sales\",\"description\":\"" + "x".repeat(size) + "\"}"))));
    }

    /** Objects that parse: known, unknown and oddly written topics; hostile descriptions; wrong types; extra fields. */
    private static Gen<String> wellFormedObjects() {
        Gen<Object> topic = weighted(
                w(6, values("sales", "pricing", " SALES ", "Pricing", "\tsales\n")),
                w(1, values("support", "", "   ", "sales\u0000", "ſales", "<!channel>")),
                w(1, values(42, true, List.of("sales"), Map.of("name", "sales"))),
                w(1, Generate.constant((Object) null)));
        Gen<Object> description = weighted(
                w(6, hostileText().map(s -> (Object) s)),
                w(1, values(0, -1.5, false, List.of(), Map.of("text", "x"))),
                w(1, Generate.constant((Object) null)));
        return objects(topic, description, Generate.range(0, 6));
    }

    /**
     * A JSON object of the given fields. Shape 1 leaves out the topic, 2 the description; 3 adds a customer, 4 a
     * "channel" and a "status" trying to override the server's, 5 writes the description first, 6 adds an "id".
     */
    private static Gen<String> objects(Gen<Object> topics, Gen<Object> descriptions, Gen<Integer> shapes) {
        return in -> {
            Object topic = topics.generate(in);
            Object description = descriptions.generate(in);
            int shape = shapes.generate(in);
            Map<String, Object> object = new LinkedHashMap<>();
            if (shape == 5) {
                object.put("description", description);
            }
            if (shape != 1) {
                object.put("topic", topic);
            }
            if (shape != 2 && shape != 5) {
                object.put("description", description);
            }
            switch (shape) {
                case 3 -> object.put("customer", Map.of("name", "Ann", "email", "ann@example.com"));
                case 4 -> {
                    object.put("channel", "email");
                    object.put("status", "DELIVERED");
                }
                case 6 -> object.put("id", "00000000-0000-0000-0000-000000000000");
                default -> {
                }
            }
            try {
                return ORACLE.writeValueAsString(object);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }

    /** What a customer (or an attacker) types into a bot. */
    static Gen<String> hostileText() {
        Gen<String> fragments = values(
                "<!channel>", "<!here>", "<!everyone>", "<@U024BE7LH>", "<#C024BE7LR>", "@here", "@channel",
                "<http://evil.example|click me>", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
                "\"><b>bold</b>", "&amp;", "&lt;!channel&gt;", "*bold* _it_ ~strike~ `code`", "```block```",
                "😀", "👍🏽", "👨‍👩‍👧", "\u202e", "\u200b", "\u0000", "\u0007", "\u001b[31m", "\r\n", "\n", "\t", "\u2028",
                "Subject: injected\r\nBcc: all@example.com", "'; DROP TABLE messages; --", "${jndi:ldap://x}", " ");
        Gen<String> mixed = weighted(
                w(3, fragments),
                w(2, anyText(40)),
                w(2, text(Generate.range(0, 60), values(chars("abcxyzABCXYZ0189 .,!?ñßλжあ中")))));
        Gen<Integer> parts = Generate.range(0, 12);
        return weighted(
                w(8, concatenation(parts, mixed)),
                w(1, Generate.range(3990, 4010).map("a"::repeat)),
                w(1, Generate.range(1990, 2010).map("😀"::repeat)),
                w(1, Generate.range(1300, 1400).map("<&>"::repeat)));
    }

    // ---- generator helpers ----

    /** Any UTF-16 text up to maxLength chars: ASCII and controls, any BMP char, lone surrogates, emoji and other astral characters. */
    static Gen<String> anyText(int maxLength) {
        Gen<Integer> codePoints = weighted(
                w(3, Generate.range(0, 0x7F)),
                w(3, Generate.range(0, 0xFFFF)),
                w(1, Generate.range(0xD800, 0xDFFF)),
                w(1, Generate.range(0x1F300, 0x1FAFF)),
                w(1, Generate.range(0x10000, Character.MAX_CODE_POINT)));
        return text(Generate.range(0, maxLength), codePoints).map(s -> s.length() <= maxLength ? s : s.substring(0, maxLength));
    }

    private static Integer[] chars(String alphabet) {
        return alphabet.codePoints().boxed().toArray(Integer[]::new);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
