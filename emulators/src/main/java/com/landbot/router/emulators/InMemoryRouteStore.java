package com.landbot.router.emulators;

import com.landbot.router.shared.Route;
import com.landbot.router.shared.RouteStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.core.exception.SdkException;

/** A {@link RouteStore} in a map, counting reads (failed ones too), with a switch to fail like an unavailable table. */
public final class InMemoryRouteStore implements RouteStore {

    private final Map<String, Route> routes = new TreeMap<>();
    public volatile boolean failReads;
    private int reads;

    public InMemoryRouteStore(List<Route> initial) {
        initial.forEach(this::put);
    }

    /** The routes a fresh deployment is seeded with (template.yaml's TopicsSeed): sales to Slack, pricing to email. */
    public static InMemoryRouteStore defaults() {
        return new InMemoryRouteStore(TemplateDefinitions.seedTopics());
    }

    @Override
    public synchronized List<Route> all() {
        reads++;
        if (failReads) {
            throw SdkException.builder().message("Scan failed: service unavailable (simulated)").build();
        }
        return new ArrayList<>(routes.values());
    }

    /** Counted as a read, and failing with them. */
    @Override
    public synchronized Optional<Route> find(String topic) {
        reads++;
        if (failReads) {
            throw SdkException.builder().message("GetItem failed: service unavailable (simulated)").build();
        }
        return Optional.ofNullable(routes.get(topic));
    }

    @Override
    public synchronized boolean put(Route route) {
        return routes.put(route.topic(), route) == null;
    }

    public synchronized int reads() {
        return reads;
    }
}
