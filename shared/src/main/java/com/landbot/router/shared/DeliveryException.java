package com.landbot.router.shared;

import java.time.Duration;
import java.util.Optional;

/**
 * A failed delivery, classified. The message is what gets recorded as the message's {@code lastError}: it must
 * say what went wrong without secrets (no webhook URLs, no credentials) and without the customer's text.
 */
public abstract sealed class DeliveryException extends Exception {

    private DeliveryException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Trying again later may work. {@code retryAfter} is the channel's own hint (Slack's Retry-After), if any. */
    public static sealed class Retryable extends DeliveryException permits RateLimited {
        private final Duration retryAfter;

        public Retryable(String message, Duration retryAfter, Throwable cause) {
            super(message, cause);
            this.retryAfter = retryAfter;
        }

        public Retryable(String message, Throwable cause) {
            this(message, null, cause);
        }

        public Optional<Duration> retryAfter() {
            return Optional.ofNullable(retryAfter);
        }
    }

    /**
     * Back-pressure, not failure: the receiver asked us to slow down (Slack's 429, SES throttling). The dispatcher
     * holds the destination back for {@code retryAfter} (or a second) and does not count the attempt.
     */
    public static final class RateLimited extends Retryable {
        public RateLimited(String message, Duration retryAfter, Throwable cause) {
            super(message, retryAfter, cause);
        }
    }

    /** Trying again cannot work until someone changes something: no retries are spent on it. */
    public static final class Permanent extends DeliveryException {
        public Permanent(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
