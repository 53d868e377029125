package com.landbot.router.emulators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.landbot.router.shared.EmailTarget;
import com.landbot.router.shared.Route;
import com.landbot.router.shared.RouteStore;
import com.landbot.router.shared.SlackTarget;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RouteStore} does, run against the topics table on moto and against the in-memory fake the unit
 * tests use, so the fake cannot drift from the table. The store starts seeded as a fresh deployment is.
 */
abstract class RouteStoreContract {

    /** A store seeded with the template's topics (sales to Slack, pricing to email). */
    abstract RouteStore store();

    @Test
    void allListsTheSeededRoutesSortedByTopicWithTheirTargets() {
        List<Route> routes = store().all();
        assertEquals(List.of("pricing", "sales"), routes.stream().map(Route::topic).toList());
        assertEquals(new EmailTarget(List.of("pricing-team@example.com")), routes.get(0).target());
        assertEquals(new SlackTarget("landbot-router/slack/sales"), routes.get(1).target());
    }

    @Test
    void putCreatesThenReplacesAndSaysWhich() {
        RouteStore store = store();
        Route support = new Route("support", new EmailTarget(List.of("support@example.com")), Instant.parse("2026-11-30T09:00:00Z"));
        assertTrue(store.put(support), "created");
        Route moved = new Route("support", new SlackTarget("landbot-router/slack/support"), Instant.parse("2026-11-30T09:01:00Z"));
        assertFalse(store.put(moved), "replaced");
        assertEquals(Optional.of(moved), store.find("support"));
        assertEquals(3, store.all().size());
    }

    @Test
    void findReadsOneTopicAndNothingForOneNeverStored() {
        RouteStore store = store();
        assertEquals(Optional.of(new SlackTarget("landbot-router/slack/sales")), store.find("sales").map(Route::target));
        assertEquals(Optional.empty(), store.find("support"));
    }
}
