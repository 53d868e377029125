package com.landbot.router.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.landbot.router.shared.Destination;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Pacer} promises, run against the in-memory one (unit) and the pacing table on DynamoDB
 * (integration): slots in order at the interval, per destination, never shared between concurrent dispatchers.
 */
abstract class PacerContract {

    static final Duration SECOND = Duration.ofSeconds(1);
    final Instant t0 = Instant.parse("2026-11-30T10:00:00Z");

    /** A fresh pacer for one dispatcher; {@link #another()} is a second dispatcher sharing its destinations. */
    abstract Pacer pacer();

    abstract Pacer another();

    @Test
    void aFreeDestinationIsFreeNowAndThenOnceAnInterval() {
        Pacer pacer = pacer();
        assertEquals(t0, pacer.book(new Destination("slack", "a"), SECOND, t0));
        assertEquals(t0.plusSeconds(1), pacer.book(new Destination("slack", "a"), SECOND, t0));
        assertEquals(t0.plusSeconds(2), pacer.book(new Destination("slack", "a"), SECOND, t0.plusMillis(500)));
    }

    @Test
    void destinationsArePacedApart() {
        Pacer pacer = pacer();
        pacer.book(new Destination("slack", "a"), SECOND, t0);
        assertEquals(t0, pacer.book(new Destination("slack", "b"), SECOND, t0));
        assertEquals(t0, pacer.book(new Destination("email", "ses"), Duration.ofMillis(70), t0));
    }

    @Test
    void anIdleDestinationIsFreeAtOnceWithoutCreditForTheIdleTime() {
        Pacer pacer = pacer();
        pacer.book(new Destination("slack", "a"), SECOND, t0);
        Instant later = t0.plusSeconds(30);
        assertEquals(later, pacer.book(new Destination("slack", "a"), SECOND, later));
        assertEquals(later.plusSeconds(1), pacer.book(new Destination("slack", "a"), SECOND, later));
    }

    @Test
    void aPauseHoldsEverySlotBackAndAShorterOneDoesNotUndoIt() {
        Pacer pacer = pacer();
        pacer.pause(new Destination("slack", "a"), t0.plusSeconds(30));
        pacer.pause(new Destination("slack", "a"), t0.plusSeconds(2));
        assertEquals(t0.plusSeconds(30), pacer.book(new Destination("slack", "a"), SECOND, t0));
        assertEquals(t0.plusSeconds(31), another().book(new Destination("slack", "a"), SECOND, t0.plusSeconds(1)));
    }

    @Test
    void aZeroIntervalIsNotPaced() {
        Pacer pacer = pacer();
        assertEquals(t0, pacer.book(new Destination("teams", "x"), Duration.ZERO, t0));
        assertEquals(t0, pacer.book(new Destination("teams", "x"), Duration.ZERO, t0));
    }

    @Test
    void concurrentDispatchersEachGetTheirOwnSlot() throws Exception {
        List<Pacer> dispatchers = List.of(pacer(), another());
        List<Callable<Instant>> bookings = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Pacer pacer = dispatchers.get(i % 2);
            bookings.add(() -> pacer.book(new Destination("slack", "shared"), SECOND, t0));
        }
        List<Instant> slots = new ArrayList<>();
        try (ExecutorService executor = Executors.newFixedThreadPool(4)) {
            for (Future<Instant> slot : executor.invokeAll(bookings)) {
                slots.add(slot.get());
            }
        }
        List<Instant> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            expected.add(t0.plusSeconds(i));
        }
        assertEquals(expected, slots.stream().sorted().toList(), "twenty distinct slots, one second apart, none lost");
    }
}
