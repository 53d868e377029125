package com.landbot.router.ingest.idempotency;

import com.landbot.router.ingest.idempotency.IdempotencyStore.KeyClaim.Claimed;
import com.landbot.router.ingest.idempotency.IdempotencyStore.KeyClaim.Completed;
import com.landbot.router.ingest.idempotency.IdempotencyStore.KeyClaim.InFlight;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * {@link IdempotencyStore} in a map, with the DynamoDB store's conditions made atomic as DynamoDB makes them,
 * and switches to fail like an unavailable table.
 */
public final class InMemoryIdempotencyStore implements IdempotencyStore {

    private record Entry(String requestHash, String token, Instant expiresAt, Instant lockedUntil, StoredResponse response) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    public volatile boolean failClaim;
    public volatile boolean failComplete;

    @Override
    public synchronized KeyClaim claim(String key, String requestHash, Instant now) {
        if (failClaim) {
            throw SdkException.builder().message("PutItem failed: service unavailable (simulated)").build();
        }
        Entry existing = entries.get(key);
        boolean free = existing == null || existing.expiresAt().isBefore(now)
                || (existing.response() == null && existing.lockedUntil().isBefore(now));
        if (free) {
            String token = UUID.randomUUID().toString();
            entries.put(key, new Entry(requestHash, token, now.plus(RETENTION), now.plus(IN_FLIGHT_LEASE), null));
            return new Claimed(token);
        }
        return existing.response() != null ? new Completed(existing.requestHash(), existing.response()) : new InFlight(existing.requestHash());
    }

    @Override
    public synchronized boolean complete(String key, String token, StoredResponse response, Instant now) {
        if (failComplete) {
            throw SdkException.builder().message("UpdateItem failed: service unavailable (simulated)").build();
        }
        Entry existing = entries.get(key);
        if (existing == null || !existing.token().equals(token)) {
            return false;
        }
        entries.put(key, new Entry(existing.requestHash(), token, existing.expiresAt(), null, response));
        return true;
    }

    @Override
    public synchronized void release(String key, String token) {
        Entry existing = entries.get(key);
        if (existing != null && existing.token().equals(token) && existing.response() == null) {
            entries.remove(key);
        }
    }

    public int size() {
        return entries.size();
    }
}
