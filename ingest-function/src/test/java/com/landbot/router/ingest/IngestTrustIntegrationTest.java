package com.landbot.router.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.landbot.router.emulators.FunctionEnvironment;
import com.landbot.router.ingest.auth.Authenticator;
import com.landbot.router.ingest.idempotency.InMemoryIdempotencyStore;
import com.landbot.router.shared.RoutingTable;
import com.landbot.router.shared.SqsMessageQueue;
import java.time.Clock;
import java.util.UUID;
import com.landbot.router.shared.Json;
import com.landbot.router.emulators.Emulators;
import com.landbot.router.emulators.Events;
import com.landbot.router.emulators.TestStack;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Authentication and idempotency through the ingest handler, against DynamoDB (moto), SQS (ElasticMQ) and
 * Secrets Manager (moto); outcomes read back from the table, the idempotency table and the queue.
 */
@Tag("integration")
class IngestTrustIntegrationTest {

    private TestStack stack;
    private IngestHandler handler;

    @BeforeEach
    void createStack() {
        stack = TestStack.create();
        handler = new IngestHandler(stack.functionEnvironment(), Emulators.get().clients());
    }

    @AfterEach
    void deleteStack() {
        stack.close();
    }

    private static APIGatewayV2HTTPEvent event(String file, Map<String, String> headerChanges) {
        APIGatewayV2HTTPEvent event = Events.load(file, APIGatewayV2HTTPEvent.class);
        Map<String, String> headers = new HashMap<>(event.getHeaders());
        headerChanges.forEach((name, value) -> {
            if (value == null) {
                headers.remove(name);
            } else {
                headers.put(name, value);
            }
        });
        event.setHeaders(headers);
        return event;
    }

    private static com.landbot.router.ingest.auth.AuthRequest postMessages(Map<String, String> headers, byte[] body) {
        return new com.landbot.router.ingest.auth.AuthRequest("POST", "/messages", "", Authenticator.Headers.of(headers), body);
    }

    private static Map<String, String> headers(String... nameValues) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            map.put(nameValues[i], nameValues[i + 1]);
        }
        return map;
    }

    private static JsonNode body(APIGatewayV2HTTPResponse response) throws Exception {
        return Json.MAPPER.readTree(response.getBody());
    }

    private void assertNothingStoredOrQueued() {
        assertEquals(List.of(), stack.items());
        assertEquals(0, stack.approximateCount(stack.queueUrl()));
    }

    // ---- authentication ----

    @ParameterizedTest(name = "Authorization: {0}")
    @ValueSource(strings = {"", "Bearer wrong-token", "Bearer local-dev-token-but-longer", "Basic bG9jYWw6ZGV2", "local-dev-token"})
    void wrongCredentialsAre401WithAJsonErrorAndNothingStoredOrQueued(String authorization) throws Exception {
        APIGatewayV2HTTPResponse response = handler.handle(event("post-sales.json", headers("authorization", authorization)));

        assertEquals(401, response.getStatusCode(), response.getBody());
        assertEquals("Bearer", response.getHeaders().get("WWW-Authenticate"));
        assertEquals("application/json", response.getHeaders().get("Content-Type"));
        JsonNode error = body(response);
        assertEquals("Unauthorized", error.get("error").asText());
        assertEquals(1, error.get("details").size());
        assertFalse(response.getBody().contains("local-dev-token") || response.getBody().contains("wrong-token"), response.getBody());
        assertNothingStoredOrQueued();
    }

    @Test
    void missingCredentialsAre401AndNothingIsStoredOrQueued() throws Exception {
        Map<String, String> noAuth = new HashMap<>();
        noAuth.put("authorization", null);
        APIGatewayV2HTTPResponse response = handler.handle(event("post-sales.json", noAuth));
        assertEquals(401, response.getStatusCode());
        assertTrue(body(response).get("details").get(0).asText().contains("Authorization: Bearer"));
        assertNothingStoredOrQueued();
    }

    @Test
    void credentialsAreCheckedBeforeTheBodySoABadBodyWithoutThemIs401() {
        Map<String, String> noAuth = new HashMap<>();
        noAuth.put("authorization", null);
        assertEquals(401, handler.handle(event("post-malformed-json.json", noAuth)).getStatusCode());
        assertEquals(401, handler.handle(event("post-oversized.json", noAuth)).getStatusCode());
    }

    @Test
    void theTokenNeverReachesTheLogs() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            handler.handle(event("post-sales.json", headers("authorization", "Bearer local-dev-tokeX")));
            handler.handle(event("post-sales.json", headers()));
        } finally {
            System.setOut(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("request.unauthenticated") && log.contains("invalid_token"), log);
        assertFalse(log.contains("local-dev-toke"), log);
    }

    /** events/post-sales.json signed with the bot's secret at {@code secondsAgo} before now, instead of its bearer token. */
    private static APIGatewayV2HTTPEvent signedPost(long secondsAgo) {
        APIGatewayV2HTTPEvent event = event("post-sales.json", headers("authorization", null));
        String timestamp = Long.toString(Instant.now().getEpochSecond() - secondsAgo);
        event.getHeaders().put("x-timestamp", timestamp);
        event.getHeaders().put("x-signature", Authenticator.signatureHeader(FunctionEnvironment.LOCAL_DEV_TOKEN, timestamp,
                postMessages(event.getHeaders(), event.getBody().getBytes(StandardCharsets.UTF_8))));
        return event;
    }

    @Test
    void aSignedRequestIsAcceptedAndAStaleSignatureIsNot() throws Exception {
        assertEquals(202, handler.handle(signedPost(0)).getStatusCode());

        APIGatewayV2HTTPResponse response = handler.handle(signedPost(600));
        assertEquals(401, response.getStatusCode());
        assertEquals(1, stack.items().size());
    }

    @Test
    void aSignedRequestSentAgainIsRefusedAndTheUseIsRememberedInTheIdempotencyTable() throws Exception {
        APIGatewayV2HTTPEvent event = signedPost(0);
        Map<String, String> signed = event.getHeaders();
        String now = signed.get("x-timestamp");

        assertEquals(202, handler.handle(event).getStatusCode());
        assertEquals(401, handler.handle(event).getStatusCode());
        assertEquals(401, new IngestHandler(stack.functionEnvironment(), Emulators.get().clients()).handle(event).getStatusCode(),
                "another container knows it too");

        assertEquals(1, stack.items().size());
        var use = stack.idempotencyItems().get(0);
        assertEquals("signature " + signed.get("x-signature").substring("sha256=".length()), use.get("key").s());
        assertEquals(Long.toString(Long.parseLong(now) + 301), use.get("expiresAt").n());
    }

    @Test
    void aSignatureCoversTheDecodedBytesOfABase64Body() throws Exception {
        APIGatewayV2HTTPEvent event = event("post-sales-mixed-case-base64.json", Map.of());
        byte[] raw = java.util.Base64.getDecoder().decode(event.getBody());
        String now = Long.toString(Instant.now().getEpochSecond());
        Map<String, String> signed = new HashMap<>(event.getHeaders());
        signed.remove("authorization");
        signed.put("X-Timestamp", now);
        signed.put("X-Signature", Authenticator.signatureHeader(FunctionEnvironment.LOCAL_DEV_TOKEN, now, postMessages(signed, raw)));
        event.setHeaders(signed);
        assertEquals(202, handler.handle(event).getStatusCode());
    }

    @Test
    void readingAMessageNeedsTheSameCredentials() throws Exception {
        String id = body(handler.handle(event("post-sales.json", Map.of()))).get("id").asText();
        APIGatewayV2HTTPEvent get = event("get-message.json", headers("authorization", "Bearer wrong"));
        get.setPathParameters(Map.of("id", id));
        get.setRawPath("/messages/" + id);
        APIGatewayV2HTTPResponse denied = handler.handle(get);
        assertEquals(401, denied.getStatusCode());
        assertFalse(denied.getBody().contains(id), "a 401 says nothing about the message");

        get.getHeaders().put("authorization", "Bearer " + FunctionEnvironment.LOCAL_DEV_TOKEN);
        assertEquals(200, handler.handle(get).getStatusCode());
    }

    @Test
    void theSecretIsReadFromSecretsManagerWhenNoLocalTokensAreSet() throws Exception {
        String secretName = stack.tableName() + "/webhook";
        try (SecretsManagerClient secrets = Emulators.get().clients().build(SecretsManagerClient.builder(), "SECRETS_MANAGER")) {
            secrets.createSecret(b -> b.name(secretName).secretString("{\"current\":\"rotated-in\",\"previous\":\"on-its-way-out\"}"));
            try {
                Map<String, String> env = new HashMap<>(stack.functionEnvironment());
                env.remove("AUTH_TOKENS");
                env.put("AUTH_SECRET_NAME", secretName);
                IngestHandler deployed = new IngestHandler(env, Emulators.get().clients());

                assertEquals(202, deployed.handle(event("post-sales.json", headers("authorization", "Bearer rotated-in"))).getStatusCode());
                assertEquals(202, deployed.handle(event("post-pricing.json", headers("authorization", "Bearer on-its-way-out"))).getStatusCode());
                assertEquals(401, deployed.handle(event("post-sales.json", Map.of())).getStatusCode(),
                        "the local dev token is not valid where the secret is configured");
                assertEquals(2, stack.items().size());
            } finally {
                secrets.deleteSecret(b -> b.secretId(secretName).forceDeleteWithoutRecovery(true));
            }
        }
    }

    @Test
    void anUnreadableSecretIsA503NotA401() throws Exception {
        Map<String, String> env = new HashMap<>(stack.functionEnvironment());
        env.remove("AUTH_TOKENS");
        env.put("AUTH_SECRET_NAME", stack.tableName() + "/no-such-secret");
        APIGatewayV2HTTPResponse response = new IngestHandler(env, Emulators.get().clients())
                .handle(event("post-sales.json", Map.of()));
        assertEquals(503, response.getStatusCode(), response.getBody());
        assertNothingStoredOrQueued();
    }

    // ---- idempotency ----

    @Test
    void theSameKeyAndBodyReturnTheOriginalAnswerAndCreateOneMessage() throws Exception {
        Map<String, String> keyed = headers("idempotency-key", "landbot-session-42-step-7");
        APIGatewayV2HTTPResponse first = handler.handle(event("post-sales.json", keyed));
        APIGatewayV2HTTPResponse replay = handler.handle(event("post-sales.json", keyed));

        assertEquals(202, first.getStatusCode(), first.getBody());
        assertEquals(202, replay.getStatusCode(), replay.getBody());
        assertEquals(first.getBody(), replay.getBody());
        assertEquals(first.getHeaders().get("Location"), replay.getHeaders().get("Location"));
        assertEquals("true", replay.getHeaders().get("Idempotent-Replayed"));
        assertEquals(1, stack.items().size());
        assertEquals(1, stack.receiveAll(stack.queueUrl()).size());

        var record = stack.idempotencyItems();
        assertEquals(1, record.size());
        assertEquals(body(first).get("id").asText(), record.get(0).get("messageId").s());
        long expiresAt = Long.parseLong(record.get(0).get("expiresAt").n());
        long inADay = Instant.now().getEpochSecond() + 86_400;
        assertTrue(Math.abs(expiresAt - inADay) < 60, "expiresAt is epoch seconds a day ahead: " + expiresAt);
    }

    @Test
    void aKeyIsTheSameRequestWhateverTheJsonFormattingButNotWithOtherContent() throws Exception {
        Map<String, String> keyed = headers("idempotency-key", "k-1");
        APIGatewayV2HTTPResponse first = handler.handle(event("post-sales.json", keyed));
        APIGatewayV2HTTPEvent reformatted = event("post-sales.json", keyed);
        reformatted.setBody("{ \"description\" : \"  Hi! I'd like a demo of the Enterprise plan for 40 agents. \", \"topic\":\"SALES\", \"extra\": 1 }");
        assertEquals(first.getBody(), handler.handle(reformatted).getBody());

        APIGatewayV2HTTPResponse different = handler.handle(event("post-pricing.json", keyed));
        assertEquals(422, different.getStatusCode(), different.getBody());
        assertTrue(body(different).get("error").asText().contains("Idempotency-Key"));
        assertEquals(1, stack.items().size());
        assertEquals(1, stack.approximateCount(stack.queueUrl()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "tab\tinside", "ünïcode", "01234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890"})
    void anInvalidKeyIs400AndNothingIsStored(String key) throws Exception {
        APIGatewayV2HTTPResponse response = handler.handle(event("post-sales.json", headers("idempotency-key", key)));
        assertEquals(400, response.getStatusCode(), response.getBody());
        assertEquals("Idempotency-Key is invalid", body(response).get("error").asText());
        assertNothingStoredOrQueued();
        assertEquals(List.of(), stack.idempotencyItems());
    }

    @Test
    void aFailureOfOursReleasesTheKeySoTheRetrySucceeds() throws Exception {
        Map<String, String> broken = new HashMap<>(stack.functionEnvironment());
        broken.put("QUEUE_URL", stack.queueUrl() + "-does-not-exist");
        Map<String, String> keyed = headers("idempotency-key", "retry-me");

        assertEquals(503, new IngestHandler(broken, Emulators.get().clients()).handle(event("post-sales.json", keyed)).getStatusCode());
        assertEquals(List.of(), stack.idempotencyItems());

        APIGatewayV2HTTPResponse retry = handler.handle(event("post-sales.json", keyed));
        assertEquals(202, retry.getStatusCode(), retry.getBody());
        assertEquals(null, retry.getHeaders().get("Idempotent-Replayed"));
        assertEquals(1, stack.items().size());
    }

    /**
     * moto serves requests on concurrent threads without making a conditional PutItem's check and write atomic
     * (two of eight simultaneous puts can both succeed), which DynamoDB guarantees. So the key store here is the
     * in-memory one, atomic as DynamoDB is; the messages table and the queue are the emulators'. Against LocalStack
     * or AWS (AWS_ENDPOINT_URL set), the DynamoDB store is used.
     */
    @Test
    void concurrentRequestsWithOneKeyCreateOneMessage() throws Exception {
        Map<String, String> env = stack.functionEnvironment();
        boolean atomicDynamo = System.getenv("AWS_ENDPOINT_URL") != null || System.getenv("AWS_ENDPOINT_URL_DYNAMODB") != null;
        IngestHandler handler = atomicDynamo ? this.handler : new IngestHandler(
                new IngestService(new RequestValidator(RoutingTable.of(stack.routes().all())), stack.repository(),
                        new SqsMessageQueue(stack.sqs(), stack.queueUrl()), Clock.systemUTC(),
                        () -> UUID.randomUUID().toString(), new InMemoryIdempotencyStore()),
                null, null, new com.landbot.router.ingest.auth.AccessPolicy(IngestWiring.authenticator(env, Emulators.get().clients()), null,
                        new com.landbot.router.ingest.auth.InMemoryUsedSignatures(), Clock.systemUTC()));
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<APIGatewayV2HTTPResponse>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return handler.handle(event("post-sales.json", headers("idempotency-key", "same-key")));
                }));
            }
            start.countDown();
            List<APIGatewayV2HTTPResponse> responses = new ArrayList<>();
            for (var answer : answers) {
                responses.add(answer.get());
            }
            Set<Integer> statuses = responses.stream().map(APIGatewayV2HTTPResponse::getStatusCode).collect(Collectors.toSet());
            assertTrue(Set.of(202, 409).containsAll(statuses), statuses.toString());
            Set<String> ids = new java.util.HashSet<>();
            for (var response : responses) {
                if (response.getStatusCode() == 202) {
                    ids.add(body(response).get("id").asText());
                } else {
                    assertEquals("1", response.getHeaders().get("Retry-After"));
                }
            }
            assertEquals(1, ids.size(), "every 202 names the one message");
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, stack.items().size());
        assertEquals(1, stack.approximateCount(stack.queueUrl()));
    }
}
