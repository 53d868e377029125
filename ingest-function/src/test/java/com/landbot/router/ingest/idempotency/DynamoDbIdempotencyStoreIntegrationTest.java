package com.landbot.router.ingest.idempotency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.landbot.router.ingest.idempotency.IdempotencyStore.KeyClaim;
import com.landbot.router.emulators.CountingDynamoDb;
import com.landbot.router.emulators.TestStack;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The idempotency table as template.yaml defines it, on moto. */
@Tag("integration")
class DynamoDbIdempotencyStoreIntegrationTest extends IdempotencyStoreContract {

    private TestStack stack;
    private CountingDynamoDb counting;

    @Override
    IdempotencyStore store() {
        stack = TestStack.create();
        counting = new CountingDynamoDb(stack.dynamo());
        return new DynamoDbIdempotencyStore(counting.client(), stack.idempotencyTableName());
    }

    @AfterEach
    void deleteStack() {
        stack.close();
    }

    /** A key in use answers from the refused conditional write itself (ALL_OLD on failure): no GetItem after it. */
    @Test
    void aReplayOrAKeyInFlightIsAnsweredInOneRoundTrip() {
        IdempotencyStore store = storeUnderTest();
        String key = newKey();
        KeyClaim.Claimed claimed = assertInstanceOf(KeyClaim.Claimed.class, store.claim(key, "hash-a", T0));
        counting.drain();

        assertEquals(new KeyClaim.InFlight("hash-a"), store.claim(key, "hash-a", T0.plusSeconds(1)));
        assertEquals(List.of("putItem"), counting.drain());

        store.complete(key, claimed.token(), ANSWER, T0.plusSeconds(1));
        counting.drain();
        assertEquals(new KeyClaim.Completed("hash-a", ANSWER), store.claim(key, "hash-b", T0.plusSeconds(2)));
        assertEquals(List.of("putItem"), counting.drain());
    }
}
