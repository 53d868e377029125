package com.landbot.router.shared;

import java.util.List;
import java.util.Optional;

/** The topics table: where routes live. */
public interface RouteStore {

    /** Every route, sorted by topic. */
    List<Route> all();

    /**
     * One topic's route read now, with a single-item consistent read: what the dispatcher asks before it calls a
     * message's topic "not routed", as its copy of {@link #all()} may be seconds behind a topic just added.
     *
     * @param topic lower-case, as stored
     */
    Optional<Route> find(String topic);

    /** Creates or replaces the route for its topic; returns true when it was created. */
    boolean put(Route route);
}
