package com.landbot.router.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.landbot.router.ingest.IngestResult.Reason;
import com.landbot.router.ingest.IngestResult.Rejected;
import com.landbot.router.shared.CachedRoutes;
import com.landbot.router.shared.ChannelTargets;
import com.landbot.router.shared.InvalidTarget;
import com.landbot.router.shared.Log;
import com.landbot.router.shared.Route;
import com.landbot.router.shared.RouteStore;
import com.landbot.router.shared.Target;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Topic administration ({@code GET /topics}, {@code PUT /topics/{name}}): routes are rows of the topics table,
 * checked against what each channel needs ({@link ChannelTargets}) before they are written, so a route the
 * dispatcher could not deliver is refused here with the reason instead of failing every message later.
 */
public final class TopicService {

    static final Pattern TOPIC_NAME = Pattern.compile("[a-z0-9_-]{1,64}");
    private static final String EXAMPLE = "{\"channel\": \"email\", \"target\": {\"recipients\": [\"team@example.com\"]}}";

    /** A PUT's outcome: the route as stored and whether it is new, or why nothing was stored. */
    public sealed interface Outcome {
        record Saved(Route route, boolean created) implements Outcome {
        }

        record Refused(Rejected rejection) implements Outcome {
        }
    }

    private final RouteStore store;
    private final ChannelTargets targets;
    private final CachedRoutes cache;
    private final Clock clock;

    /** @param cache this container's cached routes, refreshed at once after a change made here */
    public TopicService(RouteStore store, ChannelTargets targets, CachedRoutes cache, Clock clock) {
        this.store = store;
        this.targets = targets;
        this.cache = cache;
        this.clock = clock;
    }

    /** Every route, sorted by topic, read from the table (not the cache): what an operator changed is what they see. */
    public List<Route> list() {
        return store.all();
    }

    /**
     * @param name the path's name exactly as sent (decoded): it is refused, not trimmed or lower-cased, when it is
     *             not a topic name, so {@code PUT /topics/Sales%20} cannot change {@code sales}
     */
    public Outcome put(String name, RawRequest raw) {
        String topic = name == null ? "" : name;
        if (!TOPIC_NAME.matcher(topic).matches()) {
            return refused(Reason.INVALID_REQUEST, "Topic name is invalid",
                    List.of("a topic name is 1 to 64 characters of a-z, 0-9, '_' and '-'"));
        }
        RequestValidator.JsonObject parsed = RequestValidator.parseObject(raw, EXAMPLE);
        if (parsed.rejection() != null) {
            return refused(parsed.rejection());
        }
        JsonNode root = parsed.root();
        List<String> problems = new ArrayList<>();
        JsonNode channel = root.get("channel");
        if (channel == null || !channel.isTextual() || channel.textValue().isBlank()) {
            problems.add("channel: is required: one of " + String.join(", ", targets.names()));
        }
        Map<String, Object> target = target(root.get("target"), problems);
        if (!problems.isEmpty()) {
            return refused(Reason.INVALID_REQUEST, "Request body is invalid", problems);
        }
        Target checked = targets.read(channel.textValue().strip().toLowerCase(Locale.ROOT), target);
        if (checked instanceof InvalidTarget invalid) {
            return refused(Reason.INVALID_REQUEST, "Route is invalid", invalid.problems());
        }
        Route route = new Route(topic, checked, clock.instant().truncatedTo(ChronoUnit.MILLIS));
        boolean created = store.put(route);
        cache.invalidate();
        // Who receives it is configuration, logged by shape only (recipients are people's addresses).
        Log.info("topic.saved", "topic", topic, "channel", route.channel(), "created", created,
                "targetSettings", route.target().settings().keySet());
        return new Outcome.Saved(route, created);
    }

    /** A JSON object of strings and lists of strings; anything else is a problem named by its key. */
    private static Map<String, Object> target(JsonNode node, List<String> problems) {
        Map<String, Object> target = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            problems.add("target: is required: an object, e.g. " + EXAMPLE);
            return target;
        }
        if (!node.isObject()) {
            problems.add("target: must be an object, e.g. " + EXAMPLE);
            return target;
        }
        node.properties().forEach(entry -> {
            JsonNode value = entry.getValue();
            if (value.isTextual()) {
                target.put(entry.getKey(), value.textValue());
            } else if (value.isArray() && allTextual(value)) {
                List<String> values = new ArrayList<>();
                value.forEach(v -> values.add(v.textValue()));
                target.put(entry.getKey(), values);
            } else {
                problems.add("target." + RequestValidator.echo(entry.getKey()) + ": must be a string or a list of strings");
            }
        });
        return target;
    }

    private static boolean allTextual(JsonNode array) {
        for (JsonNode element : array) {
            if (!element.isTextual()) {
                return false;
            }
        }
        return true;
    }

    private static Outcome refused(Reason reason, String error, List<String> details) {
        return refused(new Rejected(reason, error, details));
    }

    private static Outcome refused(Rejected rejection) {
        Log.info("topic.refused", "reason", rejection.reason(), "error", rejection.error());
        return new Outcome.Refused(rejection);
    }
}
