package com.landbot.router.ingest;

import com.landbot.router.shared.Route;
import com.landbot.router.shared.Timestamps;
import java.util.Map;

/** A route as {@code GET /topics} and {@code PUT /topics/{name}} show it. */
public record TopicView(String name, String channel, Map<String, Object> target, String updatedAt) {

    public static TopicView of(Route route) {
        return new TopicView(route.topic(), route.channel(), route.target(),
                route.updatedAt() == null ? null : Timestamps.format(route.updatedAt()));
    }
}
