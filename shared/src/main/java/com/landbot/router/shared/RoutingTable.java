package com.landbot.router.shared;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which channel serves which topic, at one moment: a snapshot of the topics table (see {@link CachedRoutes}).
 * Topics are matched case-insensitively and stored lower-case.
 */
public final class RoutingTable {

    private final Map<String, Route> routeByTopic;

    private RoutingTable(Map<String, Route> routeByTopic) {
        this.routeByTopic = Collections.unmodifiableMap(routeByTopic);
    }

    public static RoutingTable of(Collection<Route> routes) {
        Map<String, Route> byTopic = new TreeMap<>();
        for (Route route : routes) {
            if (byTopic.putIfAbsent(normalise(route.topic()), route) != null) {
                throw new IllegalArgumentException("topic '" + route.topic() + "' is routed twice");
            }
        }
        return new RoutingTable(byTopic);
    }

    public static String normalise(String topic) {
        return topic.strip().toLowerCase(Locale.ROOT);
    }

    /** The route for a topic as the bot sent it, in any case and with surrounding spaces. */
    public Optional<Route> route(String topic) {
        return Optional.ofNullable(routeByTopic.get(normalise(topic)));
    }

    public Optional<String> channelFor(String topic) {
        return route(topic).map(Route::channel);
    }

    /** Known topics, sorted, for error messages and documentation. */
    public Set<String> topics() {
        return routeByTopic.keySet();
    }

    /** Every route, sorted by topic. */
    public List<Route> routes() {
        return List.copyOf(routeByTopic.values());
    }

    @Override
    public String toString() {
        Map<String, String> channels = new TreeMap<>();
        routeByTopic.forEach((topic, route) -> channels.put(topic, route.channel()));
        return channels.toString();
    }
}
