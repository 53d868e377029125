package com.landbot.router.shared;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which channel serves which topic. Routes are data, not code: the table is read from the {@code ROUTES}
 * setting ({@code topic=channel,topic=channel}), so adding a topic is a configuration change.
 * Topics are matched case-insensitively and stored lower-case.
 */
public final class RoutingTable {

    /** The routes the product started with. */
    public static final String DEFAULT_ROUTES = "sales=slack,pricing=email";

    private final Map<String, String> channelByTopic;

    private RoutingTable(Map<String, String> channelByTopic) {
        this.channelByTopic = Collections.unmodifiableMap(channelByTopic);
    }

    public static RoutingTable defaults() {
        return parse(DEFAULT_ROUTES);
    }

    public static RoutingTable fromEnvironment(Map<String, String> env) {
        String routes = env.get("ROUTES");
        return parse(routes == null || routes.isBlank() ? DEFAULT_ROUTES : routes);
    }

    /** @throws IllegalArgumentException on a malformed or contradictory route list: a deployment mistake should fail loudly */
    public static RoutingTable parse(String spec) {
        Map<String, String> routes = new TreeMap<>();
        for (String entry : spec.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] parts = entry.split("=", -1);
            if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
                throw new IllegalArgumentException("route '" + entry.strip() + "' is not topic=channel");
            }
            String topic = normalise(parts[0]);
            String channel = parts[1].strip().toLowerCase(Locale.ROOT);
            if (routes.putIfAbsent(topic, channel) != null) {
                throw new IllegalArgumentException("topic '" + topic + "' is routed twice");
            }
        }
        if (routes.isEmpty()) {
            throw new IllegalArgumentException("no routes configured");
        }
        return new RoutingTable(routes);
    }

    public static String normalise(String topic) {
        return topic.strip().toLowerCase(Locale.ROOT);
    }

    /** The channel for a topic as the bot sent it, in any case and with surrounding spaces. */
    public Optional<String> channelFor(String topic) {
        return Optional.ofNullable(channelByTopic.get(normalise(topic)));
    }

    /** Known topics, sorted, for error messages and documentation. */
    public Set<String> topics() {
        return channelByTopic.keySet();
    }

    public Set<String> channels() {
        return Set.copyOf(channelByTopic.values());
    }

    @Override
    public String toString() {
        return channelByTopic.toString();
    }
}
