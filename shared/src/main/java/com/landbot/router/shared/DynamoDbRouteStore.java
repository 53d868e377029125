package com.landbot.router.shared;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * {@link RouteStore} on the topics table (see {@code TopicsTable} in template.yaml): one item per topic,
 * {@code name} (key), {@code channel}, {@code target} (the {@link Target}'s settings: a map of strings and string
 * lists), {@code updatedAt}. Rows are read through {@link ChannelTargets}, so each comes back typed and checked.
 */
public final class DynamoDbRouteStore implements RouteStore {

    public static final String NAME = "name";
    static final String CHANNEL = "channel";
    static final String TARGET = "target";
    static final String UPDATED_AT = "updatedAt";

    private final DynamoDbClient dynamo;
    private final String tableName;
    private final ChannelTargets targets;

    public DynamoDbRouteStore(DynamoDbClient dynamo, String tableName, ChannelTargets targets) {
        this.dynamo = dynamo;
        this.tableName = tableName;
        this.targets = targets;
    }

    /** A Scan: the table holds a handful of topics, and a consistent read sees a change made a moment ago. */
    @Override
    public List<Route> all() {
        List<Route> routes = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            ScanResponse page = dynamo.scan(ScanRequest.builder()
                    .tableName(tableName)
                    .consistentRead(true)
                    .exclusiveStartKey(start)
                    .build());
            page.items().forEach(item -> routes.add(fromItem(item, targets)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        routes.sort(Comparator.comparing(Route::topic));
        return routes;
    }

    @Override
    public Optional<Route> find(String topic) {
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder()
                .tableName(tableName)
                .key(Map.of(NAME, AttributeValue.fromS(topic)))
                .consistentRead(true)
                .build()).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item, targets));
    }

    @Override
    public boolean put(Route route) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put(NAME, AttributeValue.fromS(route.topic()));
        item.put(CHANNEL, AttributeValue.fromS(route.channel()));
        item.put(TARGET, AttributeValue.fromM(toAttributes(route.target().settings())));
        if (route.updatedAt() != null) {
            item.put(UPDATED_AT, AttributeValue.fromS(Timestamps.format(route.updatedAt())));
        }
        Map<String, AttributeValue> old = dynamo.putItem(PutItemRequest.builder()
                .tableName(tableName)
                .item(item)
                .returnValues(ReturnValue.ALL_OLD)
                .build()).attributes();
        return old == null || old.isEmpty();
    }

    static Route fromItem(Map<String, AttributeValue> item, ChannelTargets targets) {
        Map<String, Object> target = new LinkedHashMap<>();
        AttributeValue stored = item.get(TARGET);
        if (stored != null && stored.hasM()) {
            stored.m().forEach((key, value) -> {
                if (value.hasL()) {
                    target.put(key, value.l().stream().map(AttributeValue::s).filter(java.util.Objects::nonNull).toList());
                } else if (value.hasSs()) {
                    target.put(key, List.copyOf(value.ss()));
                } else if (value.s() != null) {
                    target.put(key, value.s());
                }
            });
        }
        AttributeValue updatedAt = item.get(UPDATED_AT);
        return new Route(item.get(NAME).s(), targets.read(item.get(CHANNEL).s(), target),
                updatedAt == null || updatedAt.s() == null ? null : Instant.parse(updatedAt.s()));
    }

    private static Map<String, AttributeValue> toAttributes(Map<String, Object> target) {
        Map<String, AttributeValue> attributes = new LinkedHashMap<>();
        target.forEach((key, value) -> attributes.put(key, value instanceof List<?> list
                ? AttributeValue.fromL(list.stream().map(v -> AttributeValue.fromS(String.valueOf(v))).toList())
                : AttributeValue.fromS(String.valueOf(value))));
        return attributes;
    }
}
