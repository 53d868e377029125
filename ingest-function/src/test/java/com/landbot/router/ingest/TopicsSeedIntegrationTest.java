package com.landbot.router.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.landbot.router.shared.DynamoDbRouteStore;
import com.landbot.router.shared.EmailTarget;
import com.landbot.router.shared.Json;
import com.landbot.router.shared.Route;
import com.landbot.router.emulators.Emulators;
import com.landbot.router.emulators.ProjectPaths;
import com.landbot.router.emulators.TemplateDefinitions;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The TopicsSeed custom resource's function, its inline Python taken from template.yaml and run as Lambda would run
 * it (boto3, the event CloudFormation sends, the answer PUT to the ResponseURL), against moto's DynamoDB.
 */
@Tag("integration")
class TopicsSeedIntegrationTest {

    @TempDir
    Path code;

    private HttpServer cloudFormation;
    private final List<String> answers = new ArrayList<>();
    private final DynamoDbClient dynamo = Emulators.get().clients().dynamoDb();
    private final String table = "topics-seed-" + UUID.randomUUID();

    @BeforeEach
    void start() throws IOException {
        Files.writeString(code.resolve("index.py"), TemplateDefinitions.inlineCode("TopicsSeedFunction"));
        cloudFormation = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        cloudFormation.createContext("/", exchange -> {
            synchronized (answers) {
                answers.add(exchange.getRequestMethod() + " " + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        cloudFormation.start();
    }

    @AfterEach
    void stop() {
        cloudFormation.stop(0);
        try {
            dynamo.deleteTable(b -> b.tableName(table));
        } catch (RuntimeException e) {
            // the failure case never created it
        }
    }

    /** The event CloudFormation sends, with the template's Topics at the parameters' defaults. */
    private String event(String requestType, String tableName) {
        List<Map<String, Object>> topics = new ArrayList<>();
        for (Route route : TemplateDefinitions.seedTopics()) {
            topics.add(Map.of("Name", route.topic(), "Channel", route.channel(), "Target", route.target().settings()));
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("RequestType", requestType);
        event.put("ResponseURL", "http://127.0.0.1:" + cloudFormation.getAddress().getPort() + "/answer?signature=x");
        event.put("StackId", "arn:aws:cloudformation:eu-west-1:123456789012:stack/landbot/1");
        event.put("RequestId", "req-1");
        event.put("LogicalResourceId", "TopicsSeed");
        event.put("ResourceProperties", Map.of("ServiceToken", "arn:aws:lambda:x", "TableName", tableName, "Topics", topics));
        return Json.write(event);
    }

    private JsonNode runSeed(String requestType, String tableName) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(ProjectPaths.root().resolve(".venv/moto/bin/python").toString(), "-c",
                "import json, sys, index; index.handler(json.load(sys.stdin), None)")
                .directory(code.toFile())
                .redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.putAll(Emulators.get().environment());
        env.put("AWS_DEFAULT_REGION", env.getOrDefault("AWS_REGION", "eu-west-1"));
        Process process = builder.start();
        process.getOutputStream().write(event(requestType, tableName).getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        synchronized (answers) {
            assertEquals(1, answers.size(), "one answer to CloudFormation: " + answers + "\n" + output);
            String answer = answers.remove(0);
            assertTrue(answer.startsWith("PUT "), answer);
            return Json.MAPPER.readTree(answer.substring(4));
        }
    }

    @Test
    void aFreshStackGetsTheStartingRoutesAndARedeployKeepsWhatOperatorsChanged() throws Exception {
        dynamo.createTable(TemplateDefinitions.topicsTable(table));
        DynamoDbRouteStore store = new DynamoDbRouteStore(dynamo, table, TemplateDefinitions.channelTargets());

        JsonNode created = runSeed("Create", table);
        assertEquals("SUCCESS", created.get("Status").asText(), created.toString());
        assertEquals("TopicsSeed", created.get("LogicalResourceId").asText());
        List<Route> seeded = store.all();
        assertEquals(TemplateDefinitions.seedTopics().stream().map(r -> r.topic() + "=" + r.channel() + r.target().settings()).sorted().toList(),
                seeded.stream().map(r -> r.topic() + "=" + r.channel() + r.target().settings()).toList());
        assertTrue(seeded.stream().allMatch(r -> r.updatedAt() != null), "written with the time, as PUT /topics writes it");

        store.put(new Route("sales", new EmailTarget(List.of("sales-desk@example.com"))));
        JsonNode updated = runSeed("Update", table);
        assertEquals("SUCCESS", updated.get("Status").asText());
        assertEquals("email", store.all().stream().filter(r -> r.topic().equals("sales")).findFirst().orElseThrow().channel(),
                "a redeploy does not undo an operator's change");
    }

    @Test
    void aFailureIsReportedToCloudFormationRatherThanLeftHanging() throws Exception {
        JsonNode answer = runSeed("Create", "no-such-table-" + UUID.randomUUID());

        assertEquals("FAILED", answer.get("Status").asText());
        assertTrue(answer.get("Reason").asText().contains("ResourceNotFound"), answer.toString());
    }

    @Test
    void deletingTheStackLeavesTheRoutes() throws Exception {
        dynamo.createTable(TemplateDefinitions.topicsTable(table));
        runSeed("Create", table);

        assertEquals("SUCCESS", runSeed("Delete", table).get("Status").asText());
        assertEquals(2, new DynamoDbRouteStore(dynamo, table, TemplateDefinitions.channelTargets()).all().size());
    }
}
