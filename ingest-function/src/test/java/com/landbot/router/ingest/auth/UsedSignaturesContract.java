package com.landbot.router.ingest.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What every {@link UsedSignatures} does; run against the in-memory fake and against DynamoDB on moto. */
abstract class UsedSignaturesContract {

    static final Instant T = Instant.ofEpochSecond(1_795_860_900L);
    static final String SIGNATURE = "308a326d8296dbec3a33f8f938e197b4b1cd67eb508203f599c6fb5bcd42044c";

    abstract UsedSignatures usedSignatures();

    @Test
    void aSignatureIsUsedOnceWithinItsWindow() {
        UsedSignatures used = usedSignatures();
        assertTrue(used.firstUse(SIGNATURE, T, T.plusSeconds(301)));
        assertFalse(used.firstUse(SIGNATURE, T.plusSeconds(1), T.plusSeconds(301)));
        assertFalse(used.firstUse(SIGNATURE, T.plusSeconds(301), T.plusSeconds(301)), "the last second of the window");
        assertTrue(used.firstUse("another" + SIGNATURE, T.plusSeconds(1), T.plusSeconds(301)));
    }

    @Test
    void aRecordPastItsWindowCountsAsGoneThoughTheStoreHasNotDeletedItYet() {
        UsedSignatures used = usedSignatures();
        assertTrue(used.firstUse(SIGNATURE, T, T.plusSeconds(301)));
        assertTrue(used.firstUse(SIGNATURE, T.plusSeconds(302), T.plusSeconds(603)));
    }

    @Test
    void aForgottenSignatureMayBeUsedAgain() {
        UsedSignatures used = usedSignatures();
        assertTrue(used.firstUse(SIGNATURE, T, T.plusSeconds(301)));
        used.forget(SIGNATURE);
        assertTrue(used.firstUse(SIGNATURE, T.plusSeconds(1), T.plusSeconds(301)));
        used.forget("never-used");
    }
}
