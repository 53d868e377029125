package com.landbot.router.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.landbot.router.emulators.ProjectPaths;
import com.landbot.router.emulators.TemplateDefinitions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What template.yaml's alarms and dashboard promise: each notifies the topic, and each watches the resource it is named for,
 * followed through the template's own references, so a renamed queue, function or API cannot silently leave an
 * alarm watching nothing; and every metric the functions' code emits is on the dashboard, read from the code
 * itself. ({@code !Ref X} and {@code !GetAtt X.Attr} read as their argument here.)
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

    /** A metric as CloudWatch files it: its name, the function that emits it, its dimension names (Service included). */
    private record EmittedMetric(String name, String service, Set<String> dimensions) {
    }

    private static final Pattern EMIT = Pattern.compile("metrics\\.emit\\((.*?)\\);", Pattern.DOTALL);
    private static final Pattern DIMENSIONS = Pattern.compile("^\\s*Map\\.of\\(([^)]*)\\)");
    private static final Pattern DIMENSION_NAME = Pattern.compile("\"(\\w+)\"\\s*,");
    private static final Pattern METRIC_NAME = Pattern.compile("Value\\.count\\(\"(\\w+)\"\\)|new Metrics\\.Value\\(\"(\\w+)\"");
    private static final Pattern SERVICE = Pattern.compile("Metrics\\.standardOutput\\(\"(\\w+)\"\\)");
    private static final Pattern SEARCH = Pattern.compile("SEARCH\\('\\{LandbotRouter,([^}]*)\\}([^']*)'");

    @Test
    void everyMetricTheFunctionsEmitIsOnTheDashboardWithItsServiceAndDimensions() throws IOException {
        Set<EmittedMetric> emitted = emittedMetrics();
        Set<String> names = new TreeSet<>();
        emitted.forEach(metric -> names.add(metric.name()));
        // The scan must see the metrics the README documents, or it would pass by finding nothing.
        assertTrue(names.containsAll(Set.of("Accepted", "Rejected", "RetryRequested", "Sent", "Failed", "Retried",
                "RateLimited", "DeliveryLatency", "Attempts")), "metrics found in the code: " + names);

        Set<EmittedMetric> shown = dashboardMetrics();
        List<EmittedMetric> missing = emitted.stream().filter(metric -> !shown.contains(metric)).toList();
        assertEquals(List.of(), missing, "emitted by the code but not on the OperationsDashboard (shown: " + shown + ")");
    }

    /** Every {@code metrics.emit(...)} in the functions' main code: the names of its values and its dimensions. */
    private static Set<EmittedMetric> emittedMetrics() throws IOException {
        Set<EmittedMetric> emitted = new HashSet<>();
        List<Path> modules;
        try (Stream<Path> children = Files.list(ProjectPaths.root())) {
            modules = children.filter(dir -> Files.isDirectory(dir.resolve("src/main/java"))).toList();
        }
        for (Path module : modules) {
            List<String> sources = new ArrayList<>();
            try (Stream<Path> files = Files.walk(module.resolve("src/main/java"))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    sources.add(Files.readString(file));
                }
            }
            Set<String> services = new TreeSet<>();
            sources.forEach(source -> SERVICE.matcher(source).results().forEach(m -> services.add(m.group(1))));
            for (String source : sources) {
                Matcher emit = EMIT.matcher(source);
                while (emit.find()) {
                    assertEquals(1, services.size(), module.getFileName() + " emits metrics: which Service? " + services);
                    Matcher map = DIMENSIONS.matcher(emit.group(1));
                    assertTrue(map.find(), "dimensions not a Map.of(...) literal in " + module.getFileName() + ": " + emit.group());
                    Set<String> dimensions = new TreeSet<>(Set.of("Service"));
                    DIMENSION_NAME.matcher(map.group(1)).results().forEach(m -> dimensions.add(m.group(1)));
                    Matcher name = METRIC_NAME.matcher(emit.group(1));
                    while (name.find()) {
                        emitted.add(new EmittedMetric(name.group(1) != null ? name.group(1) : name.group(2),
                                services.iterator().next(), dimensions));
                    }
                }
            }
        }
        return emitted;
    }

    /** The metrics the dashboard's widgets show: by name and dimensions, or through a SEARCH of our namespace. */
    private static Set<EmittedMetric> dashboardMetrics() throws IOException {
        // !Sub's ${...} are references or CloudWatch's own ${PROP(...)}: any value keeps the JSON readable.
        String body = TemplateDefinitions.properties("OperationsDashboard").path("DashboardBody").asText()
                .replaceAll("\\$\\{[^}]*\\}", "0");
        Set<EmittedMetric> shown = new HashSet<>();
        for (JsonNode widget : new ObjectMapper().readTree(body).path("widgets")) {
            for (JsonNode row : widget.path("properties").path("metrics")) {
                if (row.path(0).asText().equals("LandbotRouter")) {
                    Map<String, String> dimensions = new TreeMap<>();
                    for (int i = 2; i + 1 < row.size() && row.get(i).isTextual(); i += 2) {
                        dimensions.put(row.get(i).asText(), row.get(i + 1).asText());
                    }
                    shown.add(new EmittedMetric(row.path(1).asText(), dimensions.get("Service"), dimensions.keySet()));
                }
                Matcher search = SEARCH.matcher(row.path(0).path("expression").asText());
                if (search.find()) {
                    Set<String> dimensions = new TreeSet<>(List.of(search.group(1).split(",")));
                    Matcher service = Pattern.compile("Service=\"(\\w+)\"").matcher(search.group(2));
                    String serviceName = service.find() ? service.group(1) : null;
                    Pattern.compile("MetricName=\"(\\w+)\"").matcher(search.group(2)).results()
                            .forEach(m -> shown.add(new EmittedMetric(m.group(1), serviceName, dimensions)));
                }
            }
        }
        return shown;
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
