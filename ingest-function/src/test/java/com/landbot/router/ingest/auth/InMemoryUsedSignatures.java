package com.landbot.router.ingest.auth;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** {@link UsedSignatures} in a map, with the DynamoDB one's condition (UsedSignaturesContract runs against both). */
public final class InMemoryUsedSignatures implements UsedSignatures {

    private final Map<String, Instant> forgetAfter = new HashMap<>();

    @Override
    public synchronized boolean firstUse(String signature, Instant now, Instant forgetAfter) {
        Instant remembered = this.forgetAfter.get(signature);
        if (remembered != null && remembered.getEpochSecond() >= now.getEpochSecond()) {
            return false;
        }
        this.forgetAfter.put(signature, forgetAfter);
        return true;
    }

    @Override
    public synchronized void forget(String signature) {
        forgetAfter.remove(signature);
    }
}
