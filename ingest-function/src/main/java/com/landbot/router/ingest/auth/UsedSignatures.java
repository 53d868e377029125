package com.landbot.router.ingest.auth;

import java.time.Instant;

/**
 * Signatures already accepted, each remembered until its {@code X-Timestamp} window closes: a signed request is
 * accepted once. A second use within the window (a captured request sent again) is refused, and after the window
 * the timestamp check refuses it, so nothing needs remembering longer.
 */
public interface UsedSignatures {

    /**
     * Records the first use of {@code signature} (lower-case hex) with a conditional write.
     *
     * @param forgetAfter when its window closes; after that the record may go (TTL)
     * @return false when it was used before and is still remembered
     */
    boolean firstUse(String signature, Instant now, Instant forgetAfter);

    /**
     * Forgets a use, so that the identical request may be sent again: for answers of ours that changed nothing
     * (a 5xx), which a caller retries as it is.
     */
    void forget(String signature);
}
