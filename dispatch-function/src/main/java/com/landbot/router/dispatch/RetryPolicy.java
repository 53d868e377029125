package com.landbot.router.dispatch;

import java.time.Duration;

/**
 * How deliveries are retried.
 *
 * @param maxReceiveCount the queue's redrive policy maxReceiveCount: the receive at which SQS gives up
 * @param lease           how long a claim keeps other invocations off a message; longer than one invocation
 *                        can run (the function timeout) and shorter than the queue's visibility timeout, so a
 *                        crashed invocation's message is claimable again when SQS shows it again
 * @param baseBackoff     first retry delay, doubled per receive up to {@code maxBackoff}
 */
public record RetryPolicy(int maxReceiveCount, Duration lease, Duration baseBackoff, Duration maxBackoff) {

    public static RetryPolicy of(int maxReceiveCount) {
        return new RetryPolicy(maxReceiveCount, Duration.ofSeconds(120), Duration.ofSeconds(10), Duration.ofMinutes(5));
    }

    /** Whether SQS moves the message to the DLQ if this receive does not succeed. */
    public boolean isFinal(int receiveCount) {
        return receiveCount >= maxReceiveCount;
    }

    /** 10 s, 20 s, 40 s, ... capped: a struggling channel gets room, a blip costs seconds. */
    public Duration backoff(int receiveCount) {
        int doublings = Math.max(0, Math.min(20, receiveCount - 1));
        Duration delay = baseBackoff.multipliedBy(1L << doublings);
        return delay.compareTo(maxBackoff) > 0 ? maxBackoff : delay;
    }
}
