package com.landbot.router.shared;

import java.util.List;

/** The topics table: where routes live. */
public interface RouteStore {

    /** Every route, sorted by topic. */
    List<Route> all();

    /** Creates or replaces the route for its topic; returns true when it was created. */
    boolean put(Route route);
}
