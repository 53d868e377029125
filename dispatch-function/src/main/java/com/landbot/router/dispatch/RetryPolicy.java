package com.landbot.router.dispatch;

import java.time.Duration;

/**
 * How deliveries are retried, and when the dispatcher gives up.
 *
 * @param maxAttempts     real delivery attempts before a message ends in ERROR and the DLQ ({@code MAX_DELIVERY_ATTEMPTS});
 *                        waiting for a rate limit is not an attempt
 * @param maxReceiveCount the queue's redrive policy maxReceiveCount: the safety net for crashes and unreadable
 *                        records, far above what attempts and waits use; on that receive SQS gives up
 * @param lease           how long a claim keeps other invocations off a message; longer than one invocation
 *                        can run (the function timeout) and shorter than the queue's visibility timeout, so a
 *                        crashed invocation's message is claimable again when SQS shows it again
 * @param baseBackoff     delay after the first failed attempt, doubled per attempt up to {@code maxBackoff}
 */
public record RetryPolicy(int maxAttempts, int maxReceiveCount, Duration lease, Duration baseBackoff, Duration maxBackoff) {

    public RetryPolicy {
        if (maxAttempts < 1 || maxReceiveCount < 1) {
            throw new IllegalArgumentException("maxAttempts and maxReceiveCount must be at least 1");
        }
    }

    public static RetryPolicy of(int maxAttempts, int maxReceiveCount) {
        return new RetryPolicy(maxAttempts, maxReceiveCount, Duration.ofSeconds(120), Duration.ofSeconds(10), Duration.ofMinutes(5));
    }

    /** Whether SQS moves the message to the DLQ if this receive does not succeed. */
    public boolean isFinalReceive(int receiveCount) {
        return receiveCount >= maxReceiveCount;
    }

    /** Whether a message that has made {@code attempts} real attempts, all failed, is given up. */
    public boolean givesUpAfter(int attempts) {
        return attempts >= maxAttempts;
    }

    /** After attempt 1, 2, 3, ...: 10 s, 20 s, 40 s, ... capped: a struggling channel gets room, a blip costs seconds. */
    public Duration backoff(int attempts) {
        int doublings = Math.max(0, Math.min(20, attempts - 1));
        Duration delay = baseBackoff.multipliedBy(1L << doublings);
        return delay.compareTo(maxBackoff) > 0 ? maxBackoff : delay;
    }
}
