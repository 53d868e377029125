package com.landbot.router.ingest.idempotency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.landbot.router.ingest.idempotency.IdempotencyStore.KeyClaim;
import com.landbot.router.ingest.idempotency.IdempotencyStore.StoredResponse;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What every {@link IdempotencyStore} does, run against the idempotency table on moto and against the in-memory
 * fake the unit tests use.
 */
abstract class IdempotencyStoreContract {

    static final Instant T0 = Instant.parse("2026-11-30T09:00:00Z");
    static final StoredResponse ANSWER = new StoredResponse(202, "{\"id\":\"m-1\"}", "m-1");

    /** An empty store. */
    abstract IdempotencyStore store();

    private final IdempotencyStore store = store();

    IdempotencyStore storeUnderTest() {
        return store;
    }

    static String newKey() {
        return "key-" + UUID.randomUUID();
    }

    @Test
    void aKeyIsClaimedOnceAndItsAnswerReplayedWithTheFirstRequestsHash() {
        String key = newKey();
        KeyClaim.Claimed claimed = assertInstanceOf(KeyClaim.Claimed.class, store.claim(key, "hash-a", T0));

        assertEquals(new KeyClaim.InFlight("hash-a"), store.claim(key, "hash-b", T0.plusSeconds(1)));
        assertTrue(store.complete(key, claimed.token(), ANSWER, T0.plusSeconds(1)));
        assertEquals(new KeyClaim.Completed("hash-a", ANSWER), store.claim(key, "hash-b", T0.plusSeconds(2)));
    }

    @Test
    void anAbandonedClaimIsTakenOverAfterItsLeaseAndTheOldTokenNoLongerCompletes() {
        String key = newKey();
        KeyClaim.Claimed abandoned = assertInstanceOf(KeyClaim.Claimed.class, store.claim(key, "hash-a", T0));

        Instant later = T0.plus(IdempotencyStore.IN_FLIGHT_LEASE).plusSeconds(1);
        KeyClaim.Claimed taken = assertInstanceOf(KeyClaim.Claimed.class, store.claim(key, "hash-a", later));

        assertFalse(store.complete(key, abandoned.token(), ANSWER, later));
        assertTrue(store.complete(key, taken.token(), ANSWER, later));
    }

    @Test
    void aReleasedKeyIsFreeAndAnotherHoldersTokenCannotReleaseIt() {
        String key = newKey();
        KeyClaim.Claimed first = assertInstanceOf(KeyClaim.Claimed.class, store.claim(key, "hash-a", T0));
        store.release(key, "not-the-token");
        assertInstanceOf(KeyClaim.InFlight.class, store.claim(key, "hash-a", T0.plusSeconds(1)));

        store.release(key, first.token());
        assertInstanceOf(KeyClaim.Claimed.class, store.claim(key, "hash-a", T0.plusSeconds(2)));
    }

    @Test
    void aCompletedKeyIsForgottenAfterTheRetention() {
        String key = newKey();
        KeyClaim.Claimed claimed = assertInstanceOf(KeyClaim.Claimed.class, store.claim(key, "hash-a", T0));
        assertTrue(store.complete(key, claimed.token(), ANSWER, T0));

        assertInstanceOf(KeyClaim.Claimed.class, store.claim(key, "hash-b", T0.plus(IdempotencyStore.RETENTION).plusSeconds(1)));
    }
}
