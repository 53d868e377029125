package com.landbot.router.ingest.idempotency;

import java.time.Duration;
import java.time.Instant;

/**
 * Idempotency keys the bot sent, each with the request it came with and, once answered, the answer. A key is
 * claimed before the message is created, with a conditional write, so of two concurrent requests with one key
 * exactly one creates a message.
 */
public interface IdempotencyStore {

    /** How long a key is remembered: a replay within this window returns the original answer. */
    Duration RETENTION = Duration.ofHours(24);

    /**
     * How long an unfinished claim blocks its key. Far above the function's 10 s timeout: a claim older than this
     * belongs to an invocation that died, and the key may be claimed again.
     */
    Duration IN_FLIGHT_LEASE = Duration.ofSeconds(60);

    /** Claims {@code key} for a request with {@code requestHash}, unless a live record of it exists. */
    KeyClaim claim(String key, String requestHash, Instant now);

    /** Records the answer of the request that holds the claim. Returns false if the claim was no longer held. */
    boolean complete(String key, String token, StoredResponse response, Instant now);

    /** Gives the key up, so a retry after a failure of ours can succeed. Only the claim's holder can release it. */
    void release(String key, String token);

    /**
     * Keys accepted and ignored: every request is treated as new. For services built without a store (tests of
     * other concerns); production wiring always has the DynamoDB one.
     */
    static IdempotencyStore disabled() {
        return new IdempotencyStore() {
            @Override
            public KeyClaim claim(String key, String requestHash, Instant now) {
                return new KeyClaim.Claimed("disabled");
            }

            @Override
            public boolean complete(String key, String token, StoredResponse response, Instant now) {
                return true;
            }

            @Override
            public void release(String key, String token) {
            }
        };
    }

    /** The answer given to the first request with a key, replayed to every later one. */
    record StoredResponse(int status, String body, String messageId) {
    }

    sealed interface KeyClaim {

        /** This request holds the key; {@code token} must accompany {@link #complete} or {@link #release}. */
        record Claimed(String token) implements KeyClaim {
        }

        /** A request with this key was answered already. */
        record Completed(String requestHash, StoredResponse response) implements KeyClaim {
        }

        /** A request with this key is being processed right now. */
        record InFlight(String requestHash) implements KeyClaim {
        }
    }
}
