package com.landbot.router.dispatch;

import java.time.Duration;

/** What the dispatcher does to the queue besides acknowledging: delaying a retry, dead-lettering a message. */
public interface DispatchQueue {

    /** The message becomes visible again after {@code delay}: the backoff, or Slack's Retry-After. */
    void delayRetry(String receiptHandle, Duration delay);

    /** Puts a copy of the body on the dead-letter queue (for a permanent failure, which no retry can fix). */
    void deadLetter(String body);

    /** SnapStart priming: builds the client and rehearses a call, sending nothing. */
    default void prime() {
    }
}
