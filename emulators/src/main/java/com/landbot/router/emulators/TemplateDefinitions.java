package com.landbot.router.emulators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.landbot.router.shared.ChannelTargets;
import com.landbot.router.shared.InvalidTarget;
import com.landbot.router.shared.Json;
import com.landbot.router.shared.Route;
import com.landbot.router.shared.Target;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Reads resource definitions out of template.yaml, so the emulators get the same key schema, visibility
 * timeout and redrive policy as AWS does: a change to the template changes what the tests run against.
 * CloudFormation tags ({@code !Ref X}) read as their argument; a {@code !Ref} to a parameter resolves to its default.
 */
public final class TemplateDefinitions {

    private static final JsonNode TEMPLATE = load();

    private TemplateDefinitions() {
    }

    private static JsonNode load() {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(ProjectPaths.template().toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read template.yaml", e);
        }
    }

    public static JsonNode template() {
        return TEMPLATE;
    }

    public static JsonNode properties(String logicalId) {
        JsonNode resource = TEMPLATE.path("Resources").path(logicalId);
        if (resource.isMissingNode()) {
            throw new IllegalStateException("template.yaml has no resource " + logicalId);
        }
        return resource.path("Properties");
    }

    /** The value of a property that is a literal or a {@code !Ref} to a parameter. */
    public static String resolve(JsonNode value) {
        JsonNode parameter = TEMPLATE.path("Parameters").path(value.asText());
        return parameter.has("Default") ? parameter.get("Default").asText() : value.asText();
    }

    public static String parameterDefault(String name) {
        JsonNode parameter = TEMPLATE.path("Parameters").path(name);
        if (!parameter.has("Default")) {
            throw new IllegalStateException("template.yaml has no parameter " + name + " with a default");
        }
        return parameter.get("Default").asText();
    }

    public static CreateTableRequest messagesTable(String tableName) {
        return table("MessagesTable", tableName);
    }

    /** The IdempotencyTable's key schema and billing mode (its TTL: {@link #timeToLiveAttribute}). */
    public static CreateTableRequest idempotencyTable(String tableName) {
        return table("IdempotencyTable", tableName);
    }

    /** The attribute a table's TTL reads, or null when the template gives it none. */
    public static String timeToLiveAttribute(String logicalId) {
        JsonNode ttl = properties(logicalId).path("TimeToLiveSpecification");
        return ttl.path("Enabled").asBoolean(false) ? ttl.path("AttributeName").asText() : null;
    }

    /** Any AWS::DynamoDB::Table of the template, as a CreateTable request under the given name. */
    public static CreateTableRequest table(String logicalId, String tableName) {
        JsonNode table = properties(logicalId);
        List<AttributeDefinition> attributes = new ArrayList<>();
        table.path("AttributeDefinitions").forEach(a -> attributes.add(AttributeDefinition.builder()
                .attributeName(a.get("AttributeName").asText())
                .attributeType(a.get("AttributeType").asText())
                .build()));
        List<KeySchemaElement> keys = new ArrayList<>();
        table.path("KeySchema").forEach(k -> keys.add(KeySchemaElement.builder()
                .attributeName(k.get("AttributeName").asText())
                .keyType(k.get("KeyType").asText())
                .build()));
        List<GlobalSecondaryIndex> indexes = new ArrayList<>();
        table.path("GlobalSecondaryIndexes").forEach(index -> {
            List<KeySchemaElement> indexKeys = new ArrayList<>();
            index.path("KeySchema").forEach(k -> indexKeys.add(KeySchemaElement.builder()
                    .attributeName(k.get("AttributeName").asText())
                    .keyType(k.get("KeyType").asText())
                    .build()));
            indexes.add(GlobalSecondaryIndex.builder()
                    .indexName(index.path("IndexName").asText())
                    .keySchema(indexKeys)
                    .projection(Projection.builder()
                            .projectionType(index.path("Projection").path("ProjectionType").asText())
                            .build())
                    .build());
        });
        CreateTableRequest.Builder request = CreateTableRequest.builder()
                .tableName(tableName)
                .attributeDefinitions(attributes)
                .keySchema(keys)
                .billingMode(BillingMode.fromValue(table.path("BillingMode").asText()));
        if (!indexes.isEmpty()) {
            request.globalSecondaryIndexes(indexes);
        }
        return request.build();
    }

    public static CreateTableRequest topicsTable(String tableName) {
        return table("TopicsTable", tableName);
    }

    /**
     * The routes the deployment seeds TopicsTable with (the TopicsSeed custom resource's {@code Topics}), with
     * parameters at their defaults: what a fresh stack routes, so tests and the local run route the same.
     */
    public static List<Route> seedTopics() {
        List<Route> routes = new ArrayList<>();
        properties("TopicsSeed").path("Topics").forEach(topic -> {
            Map<String, Object> target = new LinkedHashMap<>();
            topic.path("Target").properties().forEach(setting -> {
                JsonNode parameter = TEMPLATE.path("Parameters").path(setting.getValue().asText());
                if ("CommaDelimitedList".equals(parameter.path("Type").asText())) {
                    target.put(setting.getKey(), List.of(parameter.path("Default").asText().split("\\s*,\\s*")));
                } else {
                    target.put(setting.getKey(), resolve(setting.getValue()));
                }
            });
            Target checked = channelTargets().read(topic.path("Channel").asText(), target);
            if (checked instanceof InvalidTarget invalid) {
                throw new IllegalStateException("template.yaml seeds topic " + topic.path("Name").asText()
                        + " with an invalid route: " + invalid.problems());
            }
            routes.add(new Route(topic.path("Name").asText(), checked));
        });
        return routes;
    }

    /** What routes may name, with the template's {@code SlackSecretPrefix} at its default. */
    public static ChannelTargets channelTargets() {
        return ChannelTargets.standard(TEMPLATE.path("Parameters").path("SlackSecretPrefix").path("Default").asText());
    }

    /** The inline source of a function defined with InlineCode (the topics seeder). */
    public static String inlineCode(String logicalId) {
        return properties(logicalId).path("InlineCode").asText();
    }

    public static int maxReceiveCount() {
        return Integer.parseInt(resolve(properties("MessageQueue").path("RedrivePolicy").path("maxReceiveCount")));
    }

    /**
     * DispatchFunction's pacing and give-up settings (MAX_DELIVERY_ATTEMPTS, SLACK_MIN_INTERVAL_MS,
     * SES_MAX_SEND_RATE) at the template's parameter defaults: what a deployed dispatcher gets unless overridden.
     */
    public static Map<String, String> dispatchPacingSettings() {
        JsonNode variables = properties("DispatchFunction").path("Environment").path("Variables");
        Map<String, String> settings = new LinkedHashMap<>();
        for (String name : List.of("MAX_DELIVERY_ATTEMPTS", "SLACK_MIN_INTERVAL_MS", "SES_MAX_SEND_RATE")) {
            if (!variables.has(name)) {
                throw new IllegalStateException("template.yaml gives DispatchFunction no " + name);
            }
            settings.put(name, resolve(variables.get(name)));
        }
        return settings;
    }

    /** How many dispatchers the SQS event source runs at most at once (ScalingConfig.MaximumConcurrency). */
    public static int dispatchMaximumConcurrency() {
        return properties("DispatchFunction").path("Events").path("Queue").path("Properties")
                .path("ScalingConfig").path("MaximumConcurrency").asInt(1000);
    }

    /** The batch size of DispatchFunction's SQS event: what the local event source mapping and the soak poll. */
    public static int dispatchBatchSize() {
        return properties("DispatchFunction").path("Events").path("Queue").path("Properties").path("BatchSize").asInt(10);
    }

    public static int queueVisibilityTimeout() {
        return Integer.parseInt(resolve(properties("MessageQueue").path("VisibilityTimeout")));
    }

    /** The source queue's attributes, redrive policy pointing at the given DLQ. */
    public static Map<QueueAttributeName, String> messageQueueAttributes(String deadLetterQueueArn) {
        JsonNode queue = properties("MessageQueue");
        Map<QueueAttributeName, String> attributes = new LinkedHashMap<>();
        attributes.put(QueueAttributeName.VISIBILITY_TIMEOUT, resolve(queue.path("VisibilityTimeout")));
        attributes.put(QueueAttributeName.MESSAGE_RETENTION_PERIOD, resolve(queue.path("MessageRetentionPeriod")));
        attributes.put(QueueAttributeName.REDRIVE_POLICY, Json.write(Map.of(
                "deadLetterTargetArn", deadLetterQueueArn,
                "maxReceiveCount", maxReceiveCount())));
        return attributes;
    }

    /** The DLQ's attributes, allowing redrive from the given source queue only. */
    public static Map<QueueAttributeName, String> deadLetterQueueAttributes(String sourceQueueArn) {
        JsonNode queue = properties("DeadLetterQueue");
        Map<QueueAttributeName, String> attributes = new LinkedHashMap<>();
        attributes.put(QueueAttributeName.MESSAGE_RETENTION_PERIOD, resolve(queue.path("MessageRetentionPeriod")));
        attributes.put(QueueAttributeName.REDRIVE_ALLOW_POLICY, Json.write(Map.of(
                "redrivePermission", queue.path("RedriveAllowPolicy").path("redrivePermission").asText(),
                "sourceQueueArnList", List.of(sourceQueueArn))));
        return attributes;
    }

    /** The JVM options a Java function starts with in Lambda: its {@code JAVA_TOOL_OPTIONS} (empty if none). */
    public static String javaToolOptions(String logicalId) {
        return properties(logicalId).path("Environment").path("Variables").path("JAVA_TOOL_OPTIONS").asText("");
    }

    /** A function's timeout in seconds: its own, or the Globals one. */
    public static int functionTimeout(String logicalId) {
        JsonNode own = properties(logicalId).path("Timeout");
        return own.isMissingNode() ? TEMPLATE.path("Globals").path("Function").path("Timeout").asInt() : own.asInt();
    }

    public static String handler(String logicalId) {
        return properties(logicalId).path("Handler").asText();
    }

    public static String codeUri(String logicalId) {
        return properties(logicalId).path("CodeUri").asText();
    }
}
