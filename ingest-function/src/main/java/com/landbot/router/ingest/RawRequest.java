package com.landbot.router.ingest;

/** What the bot sent, before any interpretation: the Content-Type header and the body's bytes. */
public record RawRequest(String contentType, byte[] body) {
}
