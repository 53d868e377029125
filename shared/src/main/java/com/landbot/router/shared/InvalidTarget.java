package com.landbot.router.shared;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A row of the topics table that no channel can deliver to: kept as stored, with what is wrong with it, so
 * {@code GET /topics} shows it and the dispatcher fails its messages with the reason (the operator fixes it with
 * {@code PUT /topics/{name}} and redrives). {@code PUT /topics} never writes one.
 */
public record InvalidTarget(String channel, Map<String, Object> settings, List<String> problems) implements Target {

    public InvalidTarget {
        Objects.requireNonNull(channel, "channel");
        settings = Route.copy(settings);
        problems = List.copyOf(problems);
    }

    /** Nothing is ever sent to it; a destination of its own keeps it out of every real one's pace. */
    @Override
    public Destination destination() {
        return new Destination(channel, "(invalid route)");
    }
}
