package com.landbot.router.shared;

/** The outcome of {@link MessageRepository#claim}: whether this invocation may deliver the message now. */
public sealed interface Claim {

    /**
     * This invocation owns the message until the lease ends. {@code message} is as it now stands (attempts
     * already counted); {@code token} must accompany the outcome write; {@code previousError} is the last error
     * before this attempt, so a wait for a rate limit can put it back in place of the final-attempt marker.
     */
    record Claimed(Message message, String token, String previousError, int attemptsThisRound) implements Claim {

        /**
         * {@code attemptsThisRound}: the attempts counted since the message last ended ERROR (all of them if it
         * never did), this one included. A redriven or retried message starts a new round, with a fresh budget.
         */
        public Claimed {
        }

        /** A message that never ended ERROR: every attempt is this round's. */
        public Claimed(Message message, String token, String previousError) {
            this(message, token, previousError, message.attempts());
        }

        /** The same claim for the message as changed (re-routed), same token, round and history. */
        public Claimed with(Message changed) {
            return new Claimed(changed, token, previousError, attemptsThisRound);
        }
    }

    /** Delivered before: a duplicate SQS delivery, to acknowledge without sending. */
    record AlreadySent(Message message) implements Claim {
    }

    /** Another invocation holds an unexpired claim: it is sending right now. */
    record Busy(Message message) implements Claim {
    }

    /** No such message: it was discarded by ingest after a failed enqueue that SQS nonetheless took. */
    record NotFound() implements Claim {
    }
}
