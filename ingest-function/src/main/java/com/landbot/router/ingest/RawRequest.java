package com.landbot.router.ingest;

/**
 * What the bot sent, before any interpretation: the Content-Type header, the body's bytes and the
 * {@code Idempotency-Key} header (null when absent).
 */
public record RawRequest(String contentType, byte[] body, String idempotencyKey) {

    /** A request without an idempotency key. */
    public RawRequest(String contentType, byte[] body) {
        this(contentType, body, null);
    }
}
