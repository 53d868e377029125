package com.landbot.router.emulators;

import com.fasterxml.jackson.databind.JsonNode;
import com.landbot.router.shared.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Checks a log line against the CloudWatch Embedded Metric Format specification: what CloudWatch Logs needs to turn
 * the line into metrics (a root {@code _aws} member with a millisecond Timestamp and metric directives; every
 * dimension a string member of the root; every metric a numeric member; units from CloudWatch's list). A line
 * that fails here would be stored as a plain log event and its metrics silently dropped.
 */
public final class EmfDocument {

    static final Set<String> UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes",
            "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent",
            "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
            "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second",
            "Count/Second", "None");

    private EmfDocument() {
    }

    /** What is wrong with the line as EMF; empty when CloudWatch would extract every metric it declares. */
    public static List<String> problems(String line) {
        List<String> problems = new ArrayList<>();
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(line);
        } catch (Exception e) {
            return List.of("not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            return List.of("not a JSON object");
        }
        JsonNode aws = root.get("_aws");
        if (aws == null || !aws.isObject()) {
            return List.of("_aws is missing");
        }
        if (!aws.path("Timestamp").isIntegralNumber() || aws.path("Timestamp").asLong() <= 0) {
            problems.add("_aws.Timestamp is not epoch milliseconds");
        }
        JsonNode directives = aws.path("CloudWatchMetrics");
        if (!directives.isArray()) {
            problems.add("_aws.CloudWatchMetrics is not an array");
            return problems;
        }
        for (JsonNode directive : directives) {
            String namespace = directive.path("Namespace").asText("");
            if (!directive.path("Namespace").isTextual() || namespace.isEmpty() || namespace.length() > 255) {
                problems.add("Namespace must be 1 to 255 characters");
            }
            if (!directive.path("Dimensions").isArray()) {
                problems.add("Dimensions is not an array of dimension sets");
            } else {
                for (JsonNode set : directive.path("Dimensions")) {
                    if (!set.isArray() || set.size() > 30) {
                        problems.add("a dimension set is not an array of at most 30 names");
                        continue;
                    }
                    for (JsonNode name : set) {
                        if (!root.path(name.asText()).isTextual()) {
                            problems.add("dimension " + name.asText() + " has no string value");
                        }
                    }
                }
            }
            JsonNode metrics = directive.path("Metrics");
            if (!metrics.isArray() || metrics.size() > 100) {
                problems.add("Metrics is not an array of at most 100 definitions");
                continue;
            }
            for (JsonNode metric : metrics) {
                String name = metric.path("Name").asText("");
                if (name.isEmpty() || name.length() > 255) {
                    problems.add("a metric has no Name of 1 to 255 characters");
                    continue;
                }
                if (metric.has("Unit") && !UNITS.contains(metric.path("Unit").asText())) {
                    problems.add("metric " + name + " has unit " + metric.path("Unit").asText() + ", not a CloudWatch unit");
                }
                JsonNode value = root.get(name);
                boolean numeric = value != null && (value.isNumber()
                        || value.isArray() && value.size() > 0 && value.size() <= 100 && allNumbers(value));
                if (!numeric) {
                    problems.add("metric " + name + " has no numeric value");
                }
            }
        }
        return problems;
    }

    private static boolean allNumbers(JsonNode array) {
        for (JsonNode element : array) {
            if (!element.isNumber()) {
                return false;
            }
        }
        return true;
    }
}
