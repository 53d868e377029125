package com.landbot.router.shared;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One row of the topics table: the channel a topic is delivered through and that channel's target (who or where:
 * email recipients, the secret holding a Slack webhook URL). Routes are data: operators change them through
 * {@code PUT /topics/{name}} and both functions read them through {@link CachedRoutes}.
 *
 * @param topic     lower-case topic name, the key
 * @param channel   a channel name {@link ChannelTargets} knows
 * @param target    the channel's settings for this topic; values are strings or lists of strings
 * @param updatedAt when the route was last written; null for routes built in code (tests, seeds)
 */
public record Route(String topic, String channel, Map<String, Object> target, Instant updatedAt) {

    public Route {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(channel, "channel");
        target = copy(target == null ? Map.of() : target);
    }

    public Route(String topic, String channel, Map<String, Object> target) {
        this(topic, channel, target, null);
    }

    /** A string setting of the target, or null when absent or not a string. */
    public String targetString(String key) {
        return target.get(key) instanceof String value ? value : null;
    }

    /** A list setting of the target; empty when absent or not a list. */
    public List<String> targetStrings(String key) {
        if (!(target.get(key) instanceof List<?> values)) {
            return List.of();
        }
        List<String> strings = new ArrayList<>();
        for (Object value : values) {
            if (value instanceof String s) {
                strings.add(s);
            }
        }
        return List.copyOf(strings);
    }

    public Route withUpdatedAt(Instant at) {
        return new Route(topic, channel, target, at);
    }

    /** Immutable, insertion-ordered, lists copied: a route read from the table cannot be changed by its reader. */
    private static Map<String, Object> copy(Map<String, Object> target) {
        Map<String, Object> copy = new LinkedHashMap<>();
        target.forEach((key, value) -> copy.put(Objects.requireNonNull(key, "target key"),
                value instanceof List<?> list ? List.copyOf(list) : Objects.requireNonNull(value, "target value")));
        return java.util.Collections.unmodifiableMap(copy);
    }
}
