package com.landbot.router.shared;

/**
 * Where a message is in its life. Transitions are made by conditional writes in {@link MessageRepository}
 * implementations; SENT is final.
 *
 * <pre>
 * PENDING -> QUEUED -> SENDING -> SENT
 *              ^          |
 *              +----------+  retryable failure: back on the queue
 * SENDING -> ERROR           permanent failure, or the last retry failed
 * QUEUED  -> ERROR -> SENT   the last receive: claimed straight into ERROR until it reports back
 * ERROR   -> SENDING         after a redrive
 * </pre>
 * The dispatcher also claims PENDING (ingest could not mark it QUEUED, but it is on the queue).
 */
public enum MessageStatus {
    /** Stored by ingest, not yet on the queue. A message that stays PENDING was never queued. */
    PENDING,
    /** On the queue, waiting for the dispatcher. */
    QUEUED,
    /** Claimed by one dispatcher invocation, which is talking to the channel right now. */
    SENDING,
    /** Delivered; terminal. */
    SENT,
    /** Last attempt failed: permanent error or retries exhausted. The DLQ holds it until a redrive. */
    ERROR
}
