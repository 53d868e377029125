package com.landbot.router.ingest;

import com.landbot.router.shared.InvalidTarget;
import com.landbot.router.shared.Route;
import com.landbot.router.shared.Timestamps;
import java.util.List;
import java.util.Map;

/**
 * A route as {@code GET /topics} and {@code PUT /topics/{name}} show it; {@code problems} only on a row that no
 * channel can deliver to (written around the API), saying what {@code PUT /topics/{name}} must fix.
 */
public record TopicView(String name, String channel, Map<String, Object> target, String updatedAt, List<String> problems) {

    public static TopicView of(Route route) {
        return new TopicView(route.topic(), route.channel(), route.target().settings(),
                route.updatedAt() == null ? null : Timestamps.format(route.updatedAt()),
                route.target() instanceof InvalidTarget invalid ? invalid.problems() : null);
    }
}
