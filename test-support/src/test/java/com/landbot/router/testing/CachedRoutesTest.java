package com.landbot.router.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.landbot.router.shared.CachedRoutes;
import com.landbot.router.shared.Route;
import com.landbot.router.shared.RouteStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkException;

class CachedRoutesTest {

    /** A store whose routes and availability the test sets, counting reads. */
    private static final class ScriptedStore implements RouteStore {
        List<Route> routes = new ArrayList<>(List.of(new Route("sales", "slack", Map.of())));
        boolean down;
        int reads;

        @Override
        public List<Route> all() {
            reads++;
            if (down) {
                throw SdkException.builder().message("Scan failed (simulated)").build();
            }
            return List.copyOf(routes);
        }

        @Override
        public boolean put(Route route) {
            return routes.add(route);
        }
    }

    private final ScriptedStore store = new ScriptedStore();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T10:00:00Z"));
    private final CachedRoutes routes = new CachedRoutes(store, clock, Duration.ofSeconds(30));

    @Test
    void theTableIsReadOncePerTtlAndAChangeShowsAfterIt() {
        assertEquals(Optional.of("slack"), routes.get().channelFor("sales"));
        store.routes = List.of(new Route("sales", "email", Map.of()));
        clock.advance(Duration.ofSeconds(29));
        assertEquals(Optional.of("slack"), routes.get().channelFor("sales"));
        assertEquals(1, store.reads);

        clock.advance(Duration.ofSeconds(1));
        assertEquals(Optional.of("email"), routes.get().channelFor("sales"));
        assertEquals(2, store.reads);
    }

    @Test
    void aFailedRefreshKeepsTheLastTableAndRetriesSoonerThanATtl() {
        routes.get();
        store.down = true;
        clock.advance(Duration.ofSeconds(31));

        assertEquals(Optional.of("slack"), routes.get().channelFor("sales"));
        assertEquals(Optional.of("slack"), routes.get().channelFor("sales"));
        assertEquals(2, store.reads, "not one read per message while the table is down");

        store.down = false;
        store.routes = List.of(new Route("sales", "email", Map.of()));
        clock.advance(Duration.ofSeconds(6));
        assertEquals(Optional.of("email"), routes.get().channelFor("sales"));
    }

    @Test
    void withNothingReadYetAFailureReachesTheCaller() {
        store.down = true;
        assertThrows(SdkException.class, routes::get);
    }

    @Test
    void invalidateMakesTheNextReadGoToTheTable() {
        routes.get();
        store.routes = List.of(new Route("support", "email", Map.of()));
        routes.invalidate();
        assertEquals(Optional.of("email"), routes.get().channelFor("support"));
    }
}
