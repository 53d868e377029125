package com.landbot.router.shared;

/**
 * Where a message is in its life. Transitions are made by conditional writes in {@link MessageRepository}
 * implementations, so each status is only ever entered from the ones listed here.
 *
 * <pre>
 * PENDING -> QUEUED -> SENDING -> SENT
 *                         |  ^
 *                         v  |  (retry through SQS)
 *                        ERROR  (permanent failure, or retries exhausted; a redrive moves it on again)
 * </pre>
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
    ERROR;

    public boolean isTerminal() {
        return this == SENT;
    }
}
