package com.landbot.router.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
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

    private static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-11-29T10:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final ScriptedStore store = new ScriptedStore();
    private final MutableClock clock = new MutableClock();
    private final CachedRoutes routes = new CachedRoutes(store, clock, Duration.ofSeconds(30));

    @Test
    void theTableIsReadOncePerTtlAndAChangeShowsAfterIt() {
        assertEquals(Optional.of("slack"), routes.get().channelFor("sales"));
        store.routes = List.of(new Route("sales", "email", Map.of()));
        clock.now = clock.now.plusSeconds(29);
        assertEquals(Optional.of("slack"), routes.get().channelFor("sales"));
        assertEquals(1, store.reads);

        clock.now = clock.now.plusSeconds(1);
        assertEquals(Optional.of("email"), routes.get().channelFor("sales"));
        assertEquals(2, store.reads);
    }

    @Test
    void aFailedRefreshKeepsTheLastTableAndRetriesSoonerThanATtl() {
        routes.get();
        store.down = true;
        clock.now = clock.now.plusSeconds(31);

        assertEquals(Optional.of("slack"), routes.get().channelFor("sales"));
        assertEquals(Optional.of("slack"), routes.get().channelFor("sales"));
        assertEquals(2, store.reads, "not one read per message while the table is down");

        store.down = false;
        store.routes = List.of(new Route("sales", "email", Map.of()));
        clock.now = clock.now.plusSeconds(6);
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
