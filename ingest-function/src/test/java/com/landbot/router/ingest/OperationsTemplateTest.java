package com.landbot.router.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.landbot.router.emulators.TemplateDefinitions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * What template.yaml's alarms promise: each notifies the topic, and each watches the resource it is named for,
 * followed through the template's own references, so a renamed queue, function or API cannot silently leave an
 * alarm watching nothing. ({@code !Ref X} and {@code !GetAtt X.Attr} read as their argument here.)
 */
class OperationsTemplateTest {

    private static final JsonNode RESOURCES = TemplateDefinitions.template().path("Resources");

    @Test
    void everyAlarmNotifiesTheTopicWhenItFiresAndWhenItRecovers() {
        Map<String, JsonNode> alarms = resourcesOfType("AWS::CloudWatch::Alarm");
        assertTrue(alarms.keySet().containsAll(Set.of("DeadLetterQueueNotEmptyAlarm", "OldestMessageAgeAlarm",
                "DispatchErrorsAlarm", "DeliveryFailuresAlarm", "IngestErrorsAlarm", "Api5xxRateAlarm")), alarms.keySet().toString());
        assertEquals("AWS::SNS::Topic", RESOURCES.path("AlarmTopic").path("Type").asText());
        alarms.forEach((name, alarm) -> {
            JsonNode properties = alarm.path("Properties");
            assertEquals(List.of("AlarmTopic"), texts(properties.path("AlarmActions")), name + " AlarmActions");
            assertEquals(List.of("AlarmTopic"), texts(properties.path("OKActions")), name + " OKActions");
            assertTrue(properties.has("TreatMissingData"), name + " decides what missing data means");
        });
    }

    @Test
    void theDeadLetterQueueAlarmWatchesTheQueueMessagesAreDeadLetteredTo() {
        String deadLetterTarget = TemplateDefinitions.properties("MessageQueue")
                .path("RedrivePolicy").path("deadLetterTargetArn").asText();
        assertEquals(resourceOf(deadLetterTarget) + ".QueueName",
                dimension(TemplateDefinitions.properties("DeadLetterQueueNotEmptyAlarm"), "QueueName"));
        assertEquals("ApproximateNumberOfMessagesVisible",
                TemplateDefinitions.properties("DeadLetterQueueNotEmptyAlarm").path("MetricName").asText());
    }

    @Test
    void theOldestMessageAlarmWatchesTheQueueDispatchConsumes() {
        String consumed = TemplateDefinitions.properties("DispatchFunction")
                .path("Events").path("Queue").path("Properties").path("Queue").asText();
        assertEquals(resourceOf(consumed) + ".QueueName",
                dimension(TemplateDefinitions.properties("OldestMessageAgeAlarm"), "QueueName"));
        assertEquals("OldestMessageAgeThresholdSeconds",
                TemplateDefinitions.properties("OldestMessageAgeAlarm").path("Threshold").asText());
    }

    @Test
    void theErrorAlarmsWatchTheFunctionsTheyAreNamedFor() {
        assertEquals("DispatchFunction", dimension(TemplateDefinitions.properties("DispatchErrorsAlarm"), "FunctionName"));
        assertEquals("IngestFunction", dimension(TemplateDefinitions.properties("IngestErrorsAlarm"), "FunctionName"));
        assertEquals("AWS::Serverless::Function", RESOURCES.path("DispatchFunction").path("Type").asText());
        assertEquals("AWS::Serverless::Function", RESOURCES.path("IngestFunction").path("Type").asText());
    }

    @Test
    void theApiAlarmWatchesTheApiAndStageTheBotCalls() {
        Set<String> apis = new TreeSet<>();
        TemplateDefinitions.properties("IngestFunction").path("Events").forEach(event -> {
            if (event.path("Type").asText().equals("HttpApi")) {
                apis.add(event.path("Properties").path("ApiId").asText());
            }
        });
        assertEquals(1, apis.size(), "one HTTP API serves the bot: " + apis);
        String api = apis.iterator().next();
        String stage = TemplateDefinitions.properties(api).path("StageName").asText("$default");

        List<JsonNode> watched = new ArrayList<>();
        TemplateDefinitions.properties("Api5xxRateAlarm").path("Metrics")
                .forEach(query -> watched.add(query.path("MetricStat").path("Metric")));
        Set<String> metrics = new TreeSet<>();
        for (JsonNode metric : watched) {
            if (metric.isMissingNode()) {
                continue;
            }
            metrics.add(metric.path("MetricName").asText());
            assertEquals(api, dimension(metric, "ApiId"));
            assertEquals(stage, dimension(metric, "Stage"));
        }
        assertEquals(Set.of("5xx", "Count"), metrics);
    }

    @Test
    void theAlarmTopicsKeyLetsCloudWatchPublish() {
        // The AWS managed key alias/aws/sns would encrypt the topic too, but its policy does not let CloudWatch
        // use it: every alarm notification would fail, with no error anywhere but the alarm's history.
        String key = TemplateDefinitions.properties("AlarmTopic").path("KmsMasterKeyId").asText();
        assertEquals("AWS::KMS::Key", RESOURCES.path(key).path("Type").asText());
        boolean cloudWatchMayEncrypt = false;
        for (JsonNode statement : TemplateDefinitions.properties(key).path("KeyPolicy").path("Statement")) {
            cloudWatchMayEncrypt |= statement.path("Principal").path("Service").asText().equals("cloudwatch.amazonaws.com")
                    && texts(statement.path("Action")).contains("kms:GenerateDataKey*");
        }
        assertTrue(cloudWatchMayEncrypt);
    }

    @Test
    void alarmEmailIsSubscribedOnlyWhenGiven() {
        assertEquals("", TemplateDefinitions.parameterDefault("AlarmEmail"));
        JsonNode subscription = RESOURCES.path("AlarmEmailSubscription");
        assertEquals("HasAlarmEmail", subscription.path("Condition").asText());
        assertEquals("AlarmTopic", subscription.path("Properties").path("TopicArn").asText());
        assertEquals("AlarmEmail", subscription.path("Properties").path("Endpoint").asText());
    }

    @Test
    void bothFunctionsAreTraced() {
        assertEquals("Active", TemplateDefinitions.template().path("Globals").path("Function").path("Tracing").asText());
    }

    private static Map<String, JsonNode> resourcesOfType(String type) {
        Map<String, JsonNode> found = new TreeMap<>();
        RESOURCES.fields().forEachRemaining(resource -> {
            if (resource.getValue().path("Type").asText().equals(type)) {
                found.put(resource.getKey(), resource.getValue());
            }
        });
        return found;
    }

    /** The logical id in {@code X.Attribute} ({@code !GetAtt}), checked to exist. */
    private static String resourceOf(String getAtt) {
        String logicalId = getAtt.substring(0, getAtt.indexOf('.'));
        assertTrue(RESOURCES.has(logicalId), "no resource " + logicalId);
        return logicalId;
    }

    private static String dimension(JsonNode metric, String name) {
        for (JsonNode dimension : metric.path("Dimensions")) {
            if (dimension.path("Name").asText().equals(name)) {
                return dimension.path("Value").asText();
            }
        }
        throw new AssertionError("no dimension " + name + " in " + metric);
    }

    private static List<String> texts(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(value -> values.add(value.asText()));
        } else if (!node.isMissingNode()) {
            values.add(node.asText());
        }
        return values;
    }
}
