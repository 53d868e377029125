package com.landbot.router.shared;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Metrics as CloudWatch Embedded Metric Format: one JSON object per line on standard output, which CloudWatch Logs
 * turns into metrics in namespace {@value #NAMESPACE}. No API call, nothing to batch or flush, and the same line
 * is a searchable log record (it carries the message id).
 *
 * <p>Every metric has the dimension {@code Service} ({@code ingest} or {@code dispatch}); delivery metrics add
 * {@code Channel}, rejections add {@code Reason}. The Lambda runtime sends {@code System.out} to the log as is
 * (only its logger wraps lines in its JSON log format), which EMF needs: the object must be the whole log event.
 */
public final class Metrics {

    public static final String NAMESPACE = "LandbotRouter";

    /** A value and its CloudWatch unit. */
    public record Value(String name, double value, String unit) {
        public static Value count(String name) {
            return new Value(name, 1, "Count");
        }
    }

    private final String service;
    private final Clock clock;
    private final Consumer<String> sink;

    public Metrics(String service, Clock clock, Consumer<String> sink) {
        this.service = service;
        this.clock = clock;
        this.sink = sink;
    }

    /** Lines to standard output, where Lambda's log capture and CloudWatch's EMF extraction pick them up. */
    public static Metrics standardOutput(String service) {
        return new Metrics(service, Clock.systemUTC(), line -> System.out.println(line));
    }

    /**
     * Emits the values under one dimension set.
     *
     * @param dimensions dimension name to value, besides {@code Service}; kept few: each combination is a metric
     * @param properties searchable context (message id, topic); not dimensions, so they cost nothing in CloudWatch
     */
    public void emit(Map<String, String> dimensions, Map<String, Object> properties, Value... values) {
        Map<String, Object> line = new LinkedHashMap<>();
        Map<String, String> allDimensions = new LinkedHashMap<>();
        allDimensions.put("Service", service);
        allDimensions.putAll(dimensions);

        List<Map<String, String>> definitions = new ArrayList<>();
        for (Value value : values) {
            definitions.add(Map.of("Name", value.name(), "Unit", value.unit()));
        }
        line.put("_aws", Map.of(
                "Timestamp", clock.millis(),
                "CloudWatchMetrics", List.of(Map.of(
                        "Namespace", NAMESPACE,
                        "Dimensions", List.of(List.copyOf(allDimensions.keySet())),
                        "Metrics", definitions))));
        properties.forEach((name, value) -> {
            if (value != null) {
                line.put(name, value);
            }
        });
        line.putAll(allDimensions);
        for (Value value : values) {
            line.put(value.name(), value.value());
        }
        sink.accept(Json.write(line));
    }
}
