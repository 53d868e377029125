package com.landbot.router.ingest;

/** A request that passed validation: normalised topic, the channel it routes to, trimmed description. */
public record IngestRequest(String topic, String channel, String description) {
}
