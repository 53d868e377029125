package com.landbot.router.ingest.idempotency;

/** The {@code Idempotency-Key} header's rules: 1 to 128 visible ASCII characters (no spaces, no controls). */
public final class IdempotencyKey {

    public static final int MAX_LENGTH = 128;

    private IdempotencyKey() {
    }

    public static boolean isValid(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_LENGTH) {
            return false;
        }
        return key.chars().allMatch(c -> c >= 0x21 && c <= 0x7E);
    }
}
