package com.landbot.router.emulators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.strings;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.landbot.router.shared.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The functions are stream handlers: they read their events and write their answers with the project's Jackson
 * ({@link Json#readEvent}, {@link Json#writeAnswer}) instead of the runtime interface client's serialiser. Both must
 * agree: every event the functions get reads into the same object either way, and every answer they write reads
 * back (as Lambda and API Gateway read it) into the answer given.
 */
class LambdaEventsJsonTest {

    static Stream<Path> eventFiles() throws IOException {
        try (Stream<Path> files = Files.list(ProjectPaths.events())) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("eventFiles")
    void everyEventInEventsReadsAsTheRuntimeInterfaceClientReadsIt(Path file) throws IOException {
        String json = Files.readString(file);
        Class<?> type = file.getFileName().toString().startsWith("sqs-") ? SQSEvent.class : APIGatewayV2HTTPEvent.class;

        assertEquals(Events.fromJson(json, type), read(json, type), file.getFileName().toString());
    }

    @Test
    void sqsNamesThatDifferFromTheGettersAreLambdasNames() throws IOException {
        SQSEvent event = read("""
                {"Records":[{"messageId":"m-1","receiptHandle":"r-1","body":"{}","md5OfBody":"x",
                 "eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:eu-west-1:000000000000:q","awsRegion":"eu-west-1",
                 "attributes":{"ApproximateReceiveCount":"3"},
                 "messageAttributes":{"a":{"stringValue":"v","dataType":"String"},
                                      "b":{"binaryValue":"AAEC","dataType":"Binary"}}}]}
                """, SQSEvent.class);

        SQSEvent.SQSMessage message = event.getRecords().get(0);
        assertEquals("arn:aws:sqs:eu-west-1:000000000000:q", message.getEventSourceArn());
        assertEquals("3", message.getAttributes().get("ApproximateReceiveCount"));
        assertEquals(ByteBuffer.wrap(new byte[] {0, 1, 2}), message.getMessageAttributes().get("b").getBinaryValue());
        assertEquals(Events.fromJson(Events.toJson(event, SQSEvent.class), SQSEvent.class), event);
    }

    @Test
    void generatedSqsBatchesReadAlike() {
        qt().withExamples(200).forAll(strings().allPossible().ofLengthBetween(0, 40), integers().between(1, 10_000))
                .checkAssert((body, receives) -> {
                    SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
                    message.setMessageId("m-" + receives);
                    message.setReceiptHandle("r-" + body.hashCode());
                    message.setBody(body);
                    message.setEventSourceArn("arn:aws:sqs:eu-west-1:000000000000:" + receives);
                    message.setAttributes(Map.of("ApproximateReceiveCount", Integer.toString(receives)));
                    SQSEvent event = new SQSEvent();
                    event.setRecords(List.of(message));
                    String asLambdaSendsIt = Events.toJson(event, SQSEvent.class);
                    try {
                        assertEquals(Events.fromJson(asLambdaSendsIt, SQSEvent.class), read(asLambdaSendsIt, SQSEvent.class));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    @Test
    void aNullEventIsNull() throws IOException {
        assertNull(read("null", SQSEvent.class));
    }

    @Test
    void theDispatchersAnswerIsWhatTheRuntimeInterfaceClientWouldWrite() throws IOException {
        SQSBatchResponse answer = new SQSBatchResponse(List.of(new SQSBatchResponse.BatchItemFailure("m-1")));

        assertEquals(Json.MAPPER.readTree(Events.toJson(answer, SQSBatchResponse.class)), Json.MAPPER.readTree(write(answer)));
        assertEquals("{\"batchItemFailures\":[]}", write(new SQSBatchResponse(List.of())));
    }

    @Test
    void theIngestAnswerHasApiGatewaysNamesAndReadsBackAlike() throws IOException {
        APIGatewayV2HTTPResponse answer = APIGatewayV2HTTPResponse.builder().withStatusCode(202)
                .withHeaders(Map.of("Content-Type", "application/json", "Location", "/messages/m-1"))
                .withBody("{\"id\":\"m-1\"}").withIsBase64Encoded(false).build();

        String written = write(answer);
        JsonNode tree = Json.MAPPER.readTree(written);
        assertEquals(202, tree.get("statusCode").asInt());
        assertEquals("/messages/m-1", tree.at("/headers/Location").asText());
        assertEquals("{\"id\":\"m-1\"}", tree.get("body").asText());
        assertFalse(tree.get("isBase64Encoded").asBoolean());
        assertEquals(answer, Events.fromJson(written, APIGatewayV2HTTPResponse.class));
        // The same fields as the runtime interface client writes, less its nulls.
        ObjectNode theirs = (ObjectNode) Json.MAPPER.readTree(Events.toJson(answer, APIGatewayV2HTTPResponse.class));
        theirs.properties().removeIf(field -> field.getValue().isNull());
        assertEquals(theirs, tree);
    }

    private static <T> T read(String json, Class<T> type) throws IOException {
        return Json.readEvent(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), type);
    }

    private static String write(Object answer) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Json.writeAnswer(out, answer);
        return out.toString(StandardCharsets.UTF_8);
    }
}
