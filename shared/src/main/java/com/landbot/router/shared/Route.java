package com.landbot.router.shared;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One row of the topics table: a topic and where its messages go, the target of one channel (who or where: email
 * recipients, the secret holding a Slack webhook URL). Routes are data: operators change them through
 * {@code PUT /topics/{name}} and both functions read them through {@link CachedRoutes}.
 *
 * @param topic     lower-case topic name, the key
 * @param target    the channel's target for this topic, checked ({@link ChannelTargets})
 * @param updatedAt when the route was last written; null for routes built in code (tests, seeds)
 */
public record Route(String topic, Target target, Instant updatedAt) {

    public Route {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(target, "target");
    }

    public Route(String topic, Target target) {
        this(topic, target, null);
    }

    /** The channel that delivers this topic's messages. */
    public String channel() {
        return target.channel();
    }

    public Route withUpdatedAt(Instant at) {
        return new Route(topic, target, at);
    }

    /** Immutable, insertion-ordered, lists copied: settings read from the table cannot be changed by their reader. */
    static Map<String, Object> copy(Map<String, Object> settings) {
        Map<String, Object> copy = new LinkedHashMap<>();
        settings.forEach((key, value) -> copy.put(Objects.requireNonNull(key, "setting"),
                value instanceof List<?> list ? List.copyOf(list) : Objects.requireNonNull(value, "setting value")));
        return Collections.unmodifiableMap(copy);
    }
}
