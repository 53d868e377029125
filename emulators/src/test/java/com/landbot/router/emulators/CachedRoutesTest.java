package com.landbot.router.emulators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.landbot.router.shared.CachedRoutes;
import com.landbot.router.shared.EmailTarget;
import com.landbot.router.shared.Route;
import com.landbot.router.shared.SlackTarget;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkException;

class CachedRoutesTest {

    private static final SlackTarget SALES_SLACK = new SlackTarget("landbot-router/slack/sales");
    private static final EmailTarget EMAIL = new EmailTarget(List.of("team@example.com"));

    private final InMemoryRouteStore store = new InMemoryRouteStore(List.of(new Route("sales", SALES_SLACK)));
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T10:00:00Z"));
    private final CachedRoutes routes = new CachedRoutes(store, clock, Duration.ofSeconds(30));

    @Test
    void theTableIsReadOncePerTtlAndAChangeShowsAfterIt() {
        assertEquals(Optional.of("slack"), routes.current().channelFor("sales"));
        store.put(new Route("sales", EMAIL));
        clock.advance(Duration.ofSeconds(29));
        assertEquals(Optional.of("slack"), routes.current().channelFor("sales"));
        assertEquals(1, store.reads());

        clock.advance(Duration.ofSeconds(1));
        assertEquals(Optional.of("email"), routes.current().channelFor("sales"));
        assertEquals(2, store.reads());
    }

    @Test
    void aFailedRefreshKeepsTheLastTableAndRetriesSoonerThanATtl() {
        routes.current();
        store.failReads = true;
        clock.advance(Duration.ofSeconds(31));

        assertEquals(Optional.of("slack"), routes.current().channelFor("sales"));
        assertEquals(Optional.of("slack"), routes.current().channelFor("sales"));
        assertEquals(2, store.reads(), "not one read per message while the table is down");

        store.failReads = false;
        store.put(new Route("sales", EMAIL));
        clock.advance(Duration.ofSeconds(6));
        assertEquals(Optional.of("email"), routes.current().channelFor("sales"));
    }

    @Test
    void withNothingReadYetAFailureReachesTheCaller() {
        store.failReads = true;
        assertThrows(SdkException.class, routes::current);
    }

    @Test
    void aFreshReadFindsANewTopicAtOnceButAtMostEveryFewSeconds() {
        routes.current();
        store.put(new Route("support", EMAIL));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Optional.empty(), routes.current().channelFor("support"), "the cache does not know it yet");
        assertEquals(Optional.empty(), routes.fresh().channelFor("support"), "read a second ago: not again yet");
        assertEquals(1, store.reads());

        clock.advance(Duration.ofSeconds(4));
        assertEquals(Optional.of("email"), routes.fresh().channelFor("support"));
        assertEquals(2, store.reads());
        for (int i = 0; i < 100; i++) {
            routes.fresh();
        }
        assertEquals(2, store.reads(), "unknown topics from a caller cannot turn every request into a Scan");
    }

    @Test
    void invalidateMakesTheNextReadGoToTheTable() {
        routes.current();
        store.put(new Route("support", EMAIL));
        routes.invalidate();
        assertEquals(Optional.of("email"), routes.current().channelFor("support"));
    }
}
