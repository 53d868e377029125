package com.landbot.router.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The one caching policy of routes, webhook secrets and Slack URLs. */
class RefreshingTest {

    private Instant now = Instant.parse("2026-11-30T10:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    /** What the store answers, in order: a String value or a RuntimeException to throw. */
    private final Deque<Object> answers = new ArrayDeque<>();
    private final AtomicInteger reads = new AtomicInteger();
    private final Refreshing<String> cached = new Refreshing<>("test", () -> {
        reads.incrementAndGet();
        Object next = answers.poll();
        if (next instanceof RuntimeException e) {
            throw e;
        }
        return (String) next;
    }, clock, Duration.ofMinutes(5), Duration.ofSeconds(10));

    @Test
    void aValueIsReadOnceAndKeptForTheTtlThenReadAgain() {
        answers.add("v1");
        answers.add("v2");
        assertEquals("v1", cached.get());
        now = now.plusSeconds(299);
        assertEquals("v1", cached.get());
        now = now.plusSeconds(1);
        assertEquals("v2", cached.get());
        assertEquals(2, reads.get());
    }

    @Test
    void aFailedRefreshKeepsTheLastGoodValueAndIsTriedAgainAfterTheBackOffNotOnEveryCall() {
        answers.add("v1");
        answers.add(new IllegalStateException("store down"));
        answers.add("v2");
        assertEquals("v1", cached.get());

        now = now.plus(Duration.ofMinutes(5));
        assertEquals("v1", cached.get(), "the last good value through a failed refresh");
        now = now.plusSeconds(9);
        assertEquals("v1", cached.get());
        assertEquals(2, reads.get(), "no read during the back-off");

        now = now.plusSeconds(1);
        assertEquals("v2", cached.get());
        assertEquals(3, reads.get());
    }

    @Test
    void withNothingReadYetTheFailureReachesTheCallerAndTheNextCallReadsAgain() {
        IllegalStateException down = new IllegalStateException("store down");
        answers.add(down);
        answers.add("v1");
        assertSame(down, assertThrows(IllegalStateException.class, cached::get));
        assertEquals("v1", cached.get());
    }

    @Test
    void aShorterMaxAgeReadsSoonerAndInvalidateForgets() {
        answers.add("v1");
        answers.add("v2");
        answers.add("v3");
        assertEquals("v1", cached.get());
        now = now.plusSeconds(5);
        assertEquals("v2", cached.get(Duration.ofSeconds(5)));
        cached.invalidate();
        assertEquals("v3", cached.get());
    }

    @Test
    void aLazyValueIsBuiltOnceOnFirstUse() {
        AtomicInteger built = new AtomicInteger();
        Lazy<String> lazy = new Lazy<>(() -> "client-" + built.incrementAndGet());
        assertEquals(null, lazy.ifBuilt());
        assertEquals(0, built.get());
        assertEquals("client-1", lazy.get());
        assertEquals("client-1", lazy.get());
        assertEquals(1, built.get());
    }
}
