package com.landbot.router.emulators;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.landbot.router.shared.Json;
import com.landbot.router.shared.Metrics;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsTest {

    private final List<String> lines = new ArrayList<>();
    private final Metrics metrics = new Metrics("dispatch", Clock.fixed(Instant.parse("2026-11-29T10:00:00Z"), ZoneOffset.UTC), lines::add);

    @Test
    void oneLineIsOneValidEmfDocumentWithValuesDimensionsAndProperties() throws Exception {
        metrics.emit(Map.of("Channel", "slack"), Map.of("messageId", "m-1", "topic", "sales"),
                Metrics.Value.count("Sent"), new Metrics.Value("DeliveryLatency", 1234, "Milliseconds"));

        assertEquals(1, lines.size());
        assertEquals(List.of(), EmfDocument.problems(lines.get(0)));
        JsonNode line = Json.MAPPER.readTree(lines.get(0));
        assertEquals(1795946400000L, line.at("/_aws/Timestamp").asLong());
        assertEquals("LandbotRouter", line.at("/_aws/CloudWatchMetrics/0/Namespace").asText());
        assertEquals("[[\"Service\",\"Channel\"]]", line.at("/_aws/CloudWatchMetrics/0/Dimensions").toString());
        assertEquals("dispatch", line.get("Service").asText());
        assertEquals("slack", line.get("Channel").asText());
        assertEquals(1.0, line.get("Sent").asDouble());
        assertEquals(1234.0, line.get("DeliveryLatency").asDouble());
        assertEquals("m-1", line.get("messageId").asText());
    }

    @Test
    void theValidatorRefusesWhatCloudWatchWouldIgnore() {
        assertEquals(List.of("_aws is missing"), EmfDocument.problems("{\"Sent\":1}"));
        String dimensionWithoutValue = "{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[{\"Namespace\":\"N\","
                + "\"Dimensions\":[[\"Channel\"]],\"Metrics\":[{\"Name\":\"Sent\",\"Unit\":\"Count\"}]}]},\"Sent\":1}";
        assertEquals(List.of("dimension Channel has no string value"), EmfDocument.problems(dimensionWithoutValue));
        String metricWithoutValue = "{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[{\"Namespace\":\"N\","
                + "\"Dimensions\":[[]],\"Metrics\":[{\"Name\":\"Sent\",\"Unit\":\"Lots\"}]}]}}";
        assertEquals(List.of("metric Sent has unit Lots, not a CloudWatch unit", "metric Sent has no numeric value"),
                EmfDocument.problems(metricWithoutValue));
    }
}
