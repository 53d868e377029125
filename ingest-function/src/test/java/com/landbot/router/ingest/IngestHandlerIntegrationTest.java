package com.landbot.router.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.landbot.router.shared.Json;
import com.landbot.router.shared.QueuedMessage;
import com.landbot.router.emulators.Emulators;
import com.landbot.router.emulators.Events;
import com.landbot.router.emulators.TestStack;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The ingest handler with real event JSON from events/, the real SDK clients, DynamoDB on moto and SQS on
 * ElasticMQ; outcomes are read back from the table and the queue.
 */
@Tag("integration")
class IngestHandlerIntegrationTest {

    private TestStack stack;
    private IngestHandler handler;

    @BeforeEach
    void createStack() {
        stack = TestStack.create();
        handler = handlerFor(stack.functionEnvironment());
    }

    @AfterEach
    void deleteStack() {
        stack.close();
    }

    private static IngestHandler handlerFor(Map<String, String> env) {
        return new IngestHandler(env, Emulators.get().clients());
    }

    private APIGatewayV2HTTPResponse invoke(IngestHandler target, String eventFile) {
        return target.handle(Events.load(eventFile, APIGatewayV2HTTPEvent.class));
    }

    private static JsonNode body(APIGatewayV2HTTPResponse response) throws Exception {
        return Json.MAPPER.readTree(response.getBody());
    }

    @Test
    void validSalesRequestEndsAsOneQueuedItemAndOneSqsMessageCarryingItsId() throws Exception {
        APIGatewayV2HTTPResponse response = invoke(handler, "post-sales.json");

        assertEquals(202, response.getStatusCode(), response.getBody());
        JsonNode receipt = body(response);
        String id = receipt.get("id").asText();
        assertEquals("/messages/" + id, response.getHeaders().get("Location"));
        assertEquals("application/json", response.getHeaders().get("Content-Type"));
        assertEquals("sales", receipt.get("topic").asText());
        assertEquals("slack", receipt.get("channel").asText());
        assertEquals("QUEUED", receipt.get("status").asText());
        assertTrue(receipt.hasNonNull("createdAt"));

        List<Map<String, AttributeValue>> items = stack.items();
        assertEquals(1, items.size());
        Map<String, AttributeValue> item = items.get(0);
        assertEquals(id, item.get("id").s());
        assertEquals("QUEUED", item.get("status").s());
        assertEquals("sales", item.get("topic").s());
        assertEquals("Hi! I'd like a demo of the Enterprise plan for 40 agents.", item.get("description").s());
        assertEquals("0", item.get("attempts").n());
        assertEquals(receipt.get("createdAt").asText(), item.get("createdAt").s());

        List<Message> queued = stack.receiveAll(stack.queueUrl());
        assertEquals(1, queued.size());
        assertEquals(new QueuedMessage(id, "sales", "slack"), QueuedMessage.fromJson(queued.get(0).body()));
    }

    @Test
    void pricingRoutesToEmail() throws Exception {
        APIGatewayV2HTTPResponse response = invoke(handler, "post-pricing.json");
        assertEquals(202, response.getStatusCode(), response.getBody());
        assertEquals("email", body(response).get("channel").asText());
        assertEquals("email", stack.items().get(0).get("channel").s());
    }

    @Test
    void base64BodyWithMixedCaseTopicIsNormalisedAndTrimmed() throws Exception {
        APIGatewayV2HTTPResponse response = invoke(handler, "post-sales-mixed-case-base64.json");
        assertEquals(202, response.getStatusCode(), response.getBody());
        assertEquals("sales", body(response).get("topic").asText());
        assertEquals("Can someone call me back about a quote?", stack.items().get(0).get("description").s());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "post-unknown-topic.json, 400, 'topic: ''support'' is not a known topic; valid topics are: pricing, sales'",
            "post-malformed-json.json, 400, ",
            "post-not-object.json, 400, 'received a JSON array; send {\"topic\": \"...\", \"description\": \"...\"}'",
            "post-missing-description.json, 400, 'description: is required'",
            "post-empty-description.json, 400, 'description: must not be empty'",
            "post-wrong-types.json, 400, 'topic: must be a string, not number'",
            "post-wrong-content-type.json, 415, 'received Content-Type: application/x-www-form-urlencoded'",
            "post-empty-body.json, 400, ",
            "post-oversized.json, 413, ",
    })
    void badInputGetsAClear4xxAndNothingIsStoredOrQueued(String eventFile, int status, String firstDetail) throws Exception {
        APIGatewayV2HTTPResponse response = invoke(handler, eventFile);

        assertEquals(status, response.getStatusCode(), response.getBody());
        JsonNode error = body(response);
        assertTrue(error.get("error").asText().length() > 5, response.getBody());
        assertTrue(error.get("details").isArray() && !error.get("details").isEmpty(), response.getBody());
        if (firstDetail != null) {
            assertEquals(firstDetail, error.get("details").get(0).asText());
        }
        assertEquals(List.of(), stack.items());
        assertEquals(0, stack.approximateCount(stack.queueUrl()));
    }

    @Test
    void statusOfAnAcceptedMessageCanBeRead() throws Exception {
        String id = body(invoke(handler, "post-pricing.json")).get("id").asText();
        APIGatewayV2HTTPEvent get = Events.load("get-message.json", APIGatewayV2HTTPEvent.class);
        get.setPathParameters(Map.of("id", id));
        get.setRawPath("/messages/" + id);

        APIGatewayV2HTTPResponse response = handler.handle(get);

        assertEquals(200, response.getStatusCode(), response.getBody());
        JsonNode view = body(response);
        assertEquals(id, view.get("id").asText());
        assertEquals("QUEUED", view.get("status").asText());
        assertEquals("pricing", view.get("topic").asText());
        assertEquals("email", view.get("channel").asText());
        assertEquals(0, view.get("attempts").asInt());
        assertTrue(view.hasNonNull("createdAt") && view.hasNonNull("queuedAt") && view.hasNonNull("updatedAt"));
        assertTrue(!view.has("description"), "the status view does not echo customer text");
    }

    @Test
    void unknownMessageIdIs404() throws Exception {
        APIGatewayV2HTTPResponse response = invoke(handler, "get-message.json");
        assertEquals(404, response.getStatusCode());
        assertEquals("Message not found", body(response).get("error").asText());
    }

    @Test
    void queueFailureIsA503AndLeavesNoItemBehind() throws Exception {
        Map<String, String> env = new HashMap<>(stack.functionEnvironment());
        env.put("QUEUE_URL", stack.queueUrl() + "-does-not-exist");

        APIGatewayV2HTTPResponse response = invoke(handlerFor(env), "post-sales.json");

        assertEquals(503, response.getStatusCode(), response.getBody());
        assertEquals("1", response.getHeaders().get("Retry-After"));
        assertTrue(body(response).get("error").asText().contains("Retry"));
        assertEquals(List.of(), stack.items());
        assertEquals(0, stack.approximateCount(stack.queueUrl()));
    }

    @Test
    void tableFailureIsA503AndQueuesNothing() throws Exception {
        Map<String, String> env = new HashMap<>(stack.functionEnvironment());
        env.put("TABLE_NAME", stack.tableName() + "-does-not-exist");

        APIGatewayV2HTTPResponse response = invoke(handlerFor(env), "post-sales.json");

        assertEquals(503, response.getStatusCode(), response.getBody());
        assertEquals(0, stack.approximateCount(stack.queueUrl()));
    }
}
