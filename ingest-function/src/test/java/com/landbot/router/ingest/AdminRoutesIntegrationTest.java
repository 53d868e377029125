package com.landbot.router.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.landbot.router.emulators.FunctionEnvironment;
import com.landbot.router.shared.Json;
import com.landbot.router.shared.Message;
import com.landbot.router.shared.MessageStatus;
import com.landbot.router.shared.Route;
import com.landbot.router.emulators.Emulators;
import com.landbot.router.emulators.Events;
import com.landbot.router.emulators.TestStack;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The operators' routes (GET /messages?status=, GET /topics, PUT /topics/{name}) through the handler, with the
 * real SDK against moto: the ByStatus index and the topics table as template.yaml defines them.
 */
@Tag("integration")
class AdminRoutesIntegrationTest {

    private static final String ADMIN = FunctionEnvironment.LOCAL_ADMIN_TOKEN;
    private static final String BOT = FunctionEnvironment.LOCAL_DEV_TOKEN;

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

    private APIGatewayV2HTTPResponse call(String method, String path, String query, String token, String body) {
        APIGatewayV2HTTPEvent event = Events.load("get-message.json", APIGatewayV2HTTPEvent.class);
        // As API Gateway does: the matched route's key, its path parameters decoded.
        for (String route : IngestHandler.ROUTES) {
            var parameters = route.startsWith(method + " ") ? PathTemplate.match(route.substring(method.length() + 1), path) : java.util.Optional.<Map<String, String>>empty();
            if (parameters.isPresent()) {
                event.setRouteKey(route);
                Map<String, String> decoded = new HashMap<>();
                parameters.get().forEach((name, value) -> decoded.put(name, java.net.URLDecoder.decode(value, java.nio.charset.StandardCharsets.UTF_8)));
                event.setPathParameters(decoded.isEmpty() ? null : decoded);
            }
        }
        event.setRawPath(path);
        event.getRequestContext().getHttp().setMethod(method);
        event.setRawQueryString(query == null ? "" : query);
        Map<String, String> parameters = new HashMap<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                String[] kv = pair.split("=", 2);
                parameters.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
        }
        event.setQueryStringParameters(parameters.isEmpty() ? null : parameters);
        Map<String, String> headers = new HashMap<>(Map.of("content-type", "application/json"));
        if (token != null) {
            headers.put("authorization", "Bearer " + token);
        }
        event.setHeaders(headers);
        event.setBody(body);
        return handler.handle(event);
    }

    private static JsonNode json(APIGatewayV2HTTPResponse response) throws Exception {
        return Json.MAPPER.readTree(response.getBody());
    }

    // ---- topics

    @Test
    void topicsListTheSeededRoutesWithTheirTargets() throws Exception {
        APIGatewayV2HTTPResponse response = call("GET", "/topics", null, ADMIN, null);

        assertEquals(200, response.getStatusCode(), response.getBody());
        JsonNode topics = json(response).get("topics");
        assertEquals(2, topics.size());
        assertEquals("pricing", topics.get(0).get("name").asText());
        assertEquals("email", topics.get(0).get("channel").asText());
        assertEquals("[\"pricing-team@example.com\"]", topics.get(0).at("/target/recipients").toString());
        assertEquals("sales", topics.get(1).get("name").asText());
        assertEquals("landbot-router/slack/sales", topics.get(1).at("/target/webhookSecretName").asText());
    }

    @Test
    void aRowWrittenAroundTheApiThatNoChannelCanDeliverIsListedWithItsProblems() throws Exception {
        stack.dynamo().putItem(b -> b.tableName(stack.topicsTableName()).item(Map.of(
                "name", AttributeValue.fromS("billing"),
                "channel", AttributeValue.fromS("email"),
                "target", AttributeValue.fromM(Map.of("recipients", AttributeValue.fromL(List.of(AttributeValue.fromS("Billing Team"))))))));

        JsonNode billing = json(call("GET", "/topics", null, ADMIN, null)).get("topics").get(0);

        assertEquals("billing", billing.get("name").asText());
        assertEquals("[\"Billing Team\"]", billing.at("/target/recipients").toString(), "as stored");
        assertEquals("[\"target.recipients: 'Billing Team' is not an email address (one @, text on each side)\"]", billing.get("problems").toString());
        assertFalse(json(call("GET", "/topics", null, ADMIN, null)).get("topics").get(1).has("problems"));
    }

    @Test
    void aNewTopicIsCreatedThenChangedAndTheBotCanUseItAtOnce() throws Exception {
        String body = "{\"channel\":\"email\",\"target\":{\"recipients\":[\" support@example.com \",\"support@example.com\"]}}";

        APIGatewayV2HTTPResponse created = call("PUT", "/topics/support", null, ADMIN, body);
        assertEquals(201, created.getStatusCode(), created.getBody());
        assertEquals("/topics/support", created.getHeaders().get("Location"));
        assertEquals("[\"support@example.com\"]", json(created).at("/target/recipients").toString(), "trimmed, no duplicates");
        APIGatewayV2HTTPResponse international = call("PUT", "/topics/support-de", null, ADMIN,
                "{\"channel\":\"email\",\"target\":{\"recipients\":[\"hilfe@b\u00fccher.example\"]}}");
        assertEquals("[\"hilfe@xn--bcher-kva.example\"]", json(international).at("/target/recipients").toString(), "the domain in Punycode, as SES needs");

        APIGatewayV2HTTPEvent post = Events.load("post-sales.json", APIGatewayV2HTTPEvent.class);
        post.setBody("{\"topic\":\"support\",\"description\":\"The widget is down\"}");
        APIGatewayV2HTTPResponse accepted = handler.handle(post);
        assertEquals(202, accepted.getStatusCode(), accepted.getBody());
        assertEquals("email", json(accepted).get("channel").asText());

        APIGatewayV2HTTPResponse changed = call("PUT", "/topics/support", null, ADMIN,
                "{\"channel\":\"slack\",\"target\":{\"webhookSecretName\":\"landbot-router/slack/support\"}}");
        assertEquals(200, changed.getStatusCode(), changed.getBody());
        Route stored = stack.routes().all().stream().filter(r -> r.topic().equals("support")).findFirst().orElseThrow();
        assertEquals("slack", stored.channel());
        assertEquals("landbot-router/slack/support", stored.target().settings().get("webhookSecretName"));
        assertTrue(stored.updatedAt() != null);
    }

    @Test
    void aRouteTheDispatcherCouldNotDeliverIsRefusedWithTheReasonAndNothingIsStored() throws Exception {
        APIGatewayV2HTTPResponse unknownChannel = call("PUT", "/topics/support", null, ADMIN,
                "{\"channel\":\"pigeon\",\"target\":{}}");
        assertEquals(400, unknownChannel.getStatusCode());
        assertEquals("[\"channel: 'pigeon' is not a known channel; known channels are: email, slack\"]",
                json(unknownChannel).get("details").toString());

        APIGatewayV2HTTPResponse foreignSecret = call("PUT", "/topics/support", null, ADMIN,
                "{\"channel\":\"slack\",\"target\":{\"webhookSecretName\":\"prod/database-password\"}}");
        assertEquals(400, foreignSecret.getStatusCode());
        assertTrue(json(foreignSecret).get("details").toString().contains("must start with 'landbot-router/slack/'"));

        APIGatewayV2HTTPResponse badName = call("PUT", "/topics/sup%20port", null, ADMIN,
                "{\"channel\":\"email\",\"target\":{\"recipients\":[\"a@example.com\"]}}");
        assertEquals(400, badName.getStatusCode(), badName.getBody());

        APIGatewayV2HTTPResponse wrongShape = call("PUT", "/topics/support", null, ADMIN,
                "{\"channel\":\"email\",\"target\":{\"recipients\":[1,2]}}");
        assertEquals(400, wrongShape.getStatusCode());
        assertTrue(json(wrongShape).get("details").toString().contains("target.recipients: must be a string or a list of strings"));

        APIGatewayV2HTTPResponse notForSes = call("PUT", "/topics/support", null, ADMIN,
                "{\"channel\":\"email\",\"target\":{\"recipients\":[\"a\\u200b@example.com\",\"\u00e9@example.com\",\"ok@example.com\"]}}");
        assertEquals(400, notForSes.getStatusCode(), notForSes.getBody());
        assertEquals("[\"target.recipients: 'a\u200b@example.com' has U+200B before the @; SES takes only ASCII there (no SMTPUTF8)\","
                + "\"target.recipients: '\u00e9@example.com' has U+00E9 before the @; SES takes only ASCII there (no SMTPUTF8)\"]",
                json(notForSes).get("details").toString());

        APIGatewayV2HTTPResponse notJson = call("PUT", "/topics/support", null, ADMIN, "channel=email");
        assertEquals(400, notJson.getStatusCode());

        assertEquals(List.of("pricing", "sales"), stack.routes().all().stream().map(Route::topic).toList());
    }

    @Test
    void theAdminEventFixturesWorkAsTheyAre() throws Exception {
        APIGatewayV2HTTPResponse put = handler.handle(Events.load("put-topic-support.json", APIGatewayV2HTTPEvent.class));
        assertEquals(201, put.getStatusCode(), put.getBody());
        APIGatewayV2HTTPResponse topics = handler.handle(Events.load("get-topics.json", APIGatewayV2HTTPEvent.class));
        assertEquals(3, json(topics).get("topics").size(), topics.getBody());
        APIGatewayV2HTTPResponse errors = handler.handle(Events.load("list-error-messages.json", APIGatewayV2HTTPEvent.class));
        assertEquals(200, errors.getStatusCode(), errors.getBody());
        assertEquals("{\"messages\":[]}", errors.getBody());
    }

    @Test
    void theRetryEventFixturesWorkAsTheyAre() throws Exception {
        APIGatewayV2HTTPResponse unknown = handler.handle(Events.load("retry-message.json", APIGatewayV2HTTPEvent.class));
        assertEquals(404, unknown.getStatusCode(), unknown.getBody());

        Instant at = Instant.parse("2026-11-29T10:15:00Z");
        stack.repository().create(new Message("6f1c2b8e-5d4a-4c3b-9a2e-1f0e9d8c7b6a", "sales", "slack", "help",
                MessageStatus.ERROR, 5, at, at, at, null, "Slack answered 500 internal_error (retries exhausted)", null));
        APIGatewayV2HTTPResponse retried = handler.handle(Events.load("retry-message.json", APIGatewayV2HTTPEvent.class));
        assertEquals(202, retried.getStatusCode(), retried.getBody());
        assertEquals("QUEUED", json(retried).get("status").asText());
        assertEquals(1, stack.approximateCount(stack.queueUrl()));

        APIGatewayV2HTTPResponse bulk = handler.handle(Events.load("retry-sales-errors.json", APIGatewayV2HTTPEvent.class));
        assertEquals(202, bulk.getStatusCode(), bulk.getBody());
        assertEquals(0, json(bulk).get("queued").asInt(), "the one ERROR message is already queued again: " + bulk.getBody());
    }

    @Test
    void anEventWithoutARouteKeyOrAMethodIsANotFoundNotACrash() {
        APIGatewayV2HTTPEvent event = Events.load("get-topics.json", APIGatewayV2HTTPEvent.class);
        event.setRouteKey("$default");
        event.getRequestContext().getHttp().setMethod(null);

        APIGatewayV2HTTPResponse response = handler.handle(event);

        assertEquals(404, response.getStatusCode(), response.getBody());
    }

    // ---- who may do what

    @Test
    void adminRoutesNeedAdminCredentialsAndTheBotsAreForbiddenThere() {
        for (String[] route : new String[][] {{"GET", "/topics", null}, {"GET", "/messages", "status=ERROR"},
                {"PUT", "/topics/sales", null}}) {
            String body = route[0].equals("PUT") ? "{\"channel\":\"email\",\"target\":{\"recipients\":[\"x@example.com\"]}}" : null;
            assertEquals(401, call(route[0], route[1], route[2], null, body).getStatusCode(), route[1]);
            assertEquals(401, call(route[0], route[1], route[2], "not-a-token", body).getStatusCode(), route[1]);
            APIGatewayV2HTTPResponse bot = call(route[0], route[1], route[2], BOT, body);
            assertEquals(403, bot.getStatusCode(), route[1]);
            assertEquals("{\"error\":\"Forbidden\",\"details\":[\"this route needs admin credentials\"]}", bot.getBody());
        }
        assertEquals("landbot-router/slack/sales", stack.routes().all().get(1).target().settings().get("webhookSecretName"),
                "the bot's PUT changed nothing");
        assertEquals(401, call("POST", "/messages", null, ADMIN, "{\"topic\":\"sales\",\"description\":\"x\"}").getStatusCode(),
                "the admin secret is not the bot's: it cannot post messages");
    }

    @Test
    void withoutAdminCredentialsConfiguredTheAdminRoutesAnswer401ToEveryone() throws Exception {
        Map<String, String> env = new HashMap<>(stack.functionEnvironment());
        env.remove("ADMIN_TOKENS");
        handler = new IngestHandler(env, Emulators.get().clients());

        APIGatewayV2HTTPResponse response = call("GET", "/topics", null, ADMIN, null);

        assertEquals(401, response.getStatusCode());
        assertTrue(response.getBody().contains("no admin credentials are configured"), response.getBody());
    }

    // ---- listing by status

    private Message store(MessageStatus status, Instant createdAt) {
        Message message = new Message(UUID.randomUUID().toString(), "sales", "slack", "help", status, 1, createdAt, createdAt,
                createdAt, null, status == MessageStatus.ERROR ? "Slack answered 404 channel_not_found" : null, null);
        stack.repository().create(message);
        return message;
    }

    @Test
    void failedMessagesArePagedNewestFirstWithACursorUntilTheLastPage() throws Exception {
        Instant t = Instant.parse("2026-11-29T10:00:00Z");
        List<String> errorsNewestFirst = new ArrayList<>();
        // .000 and .500 of one second: stored fixed-width, so the whole second sorts before its half (Instant.toString would not).
        for (Instant at : List.of(t, t.plusMillis(500), t.plusSeconds(1), t.plusSeconds(2), t.plusSeconds(60))) {
            errorsNewestFirst.add(0, store(MessageStatus.ERROR, at).id());
        }
        store(MessageStatus.SENT, t.plusSeconds(30));

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            APIGatewayV2HTTPResponse response = call("GET", "/messages", "status=ERROR&limit=2" + (cursor == null ? "" : "&cursor=" + cursor), ADMIN, null);
            assertEquals(200, response.getStatusCode(), response.getBody());
            JsonNode page = json(response);
            page.get("messages").forEach(m -> {
                assertEquals("ERROR", m.get("status").asText());
                assertEquals("Slack answered 404 channel_not_found", m.get("lastError").asText());
                assertFalse(m.has("description"), "descriptions stay out of listings");
                seen.add(m.get("id").asText());
            });
            cursor = page.has("nextCursor") ? page.get("nextCursor").asText() : null;
            pages++;
        } while (cursor != null && pages < 10);

        assertEquals(errorsNewestFirst, seen);
        assertTrue(pages >= 3, "five messages in pages of two: " + pages);
    }

    @Test
    void badQueriesAreRefusedWithTheFieldNamed() throws Exception {
        store(MessageStatus.ERROR, Instant.parse("2026-11-29T10:00:00Z"));
        store(MessageStatus.ERROR, Instant.parse("2026-11-29T10:00:01Z"));
        String errorCursor = json(call("GET", "/messages", "status=ERROR&limit=1", ADMIN, null)).get("nextCursor").asText();

        assertEquals(400, call("GET", "/messages", null, ADMIN, null).getStatusCode(), "status is required");
        assertEquals(400, call("GET", "/messages", "status=LOST", ADMIN, null).getStatusCode());
        assertEquals(400, call("GET", "/messages", "status=ERROR&limit=0", ADMIN, null).getStatusCode());
        assertEquals(400, call("GET", "/messages", "status=ERROR&limit=101", ADMIN, null).getStatusCode());
        assertEquals(400, call("GET", "/messages", "status=ERROR&limit=ten", ADMIN, null).getStatusCode());
        APIGatewayV2HTTPResponse garbage = call("GET", "/messages", "status=ERROR&cursor=bm90LWEtY3Vyc29y", ADMIN, null);
        assertEquals(400, garbage.getStatusCode());
        assertTrue(garbage.getBody().contains("cursor"), garbage.getBody());
        assertEquals(400, call("GET", "/messages", "status=SENT&cursor=" + errorCursor, ADMIN, null).getStatusCode(),
                "a cursor of the ERROR listing does not page the SENT one");
        APIGatewayV2HTTPResponse lowerCase = call("GET", "/messages", "status=error", ADMIN, null);
        assertEquals(200, lowerCase.getStatusCode());
        assertEquals(2, json(lowerCase).get("messages").size());
        assertNull(json(lowerCase).get("nextCursor"));
    }

    /** moto takes such keys; DynamoDB refuses them with a ValidationException, which would be a 503. */
    @Test
    void aForgedCursorWithAKeyDynamoDbWouldRefuseIsA400() throws Exception {
        store(MessageStatus.ERROR, Instant.parse("2026-11-29T10:00:00Z"));
        for (String id : new String[] {"", "x".repeat(3_000)}) {
            for (String createdAt : new String[] {"2026-11-29T10:00:00.000Z", ""}) {
                String forged = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                        Json.write(Map.of("id", id, "status", "ERROR", "createdAt", createdAt)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                if (!id.isEmpty() && !createdAt.isEmpty()) {
                    continue;
                }
                APIGatewayV2HTTPResponse response = call("GET", "/messages", "status=ERROR&cursor=" + forged, ADMIN, null);
                assertEquals(400, response.getStatusCode(), "id of " + id.length() + ", createdAt '" + createdAt + "': " + response.getBody());
                assertTrue(response.getBody().contains("cursor"), response.getBody());
            }
        }
    }

    @Test
    void aMessageCanBeReadWithAdminCredentialsToo() throws Exception {
        Message message = store(MessageStatus.ERROR, Instant.parse("2026-11-29T10:00:00Z"));
        APIGatewayV2HTTPResponse response = call("GET", "/messages/" + message.id(), null, ADMIN, null);
        assertEquals(200, response.getStatusCode(), response.getBody());
        assertEquals(message.id(), json(response).get("id").asText());
        assertEquals(1, StreamSupport.stream(json(call("GET", "/messages", "status=ERROR", ADMIN, null)).get("messages").spliterator(), false).count());
    }
}
