package com.landbot.router.dispatch;

import com.landbot.router.shared.Destination;
import java.time.Duration;
import java.time.Instant;

/**
 * Send slots per destination (one Slack webhook, one SES account), shared by every dispatcher that sends to it.
 * A receiver's rate limit covers all of our concurrent containers together, so the pace must be kept where all of
 * them see it: {@link DynamoDbPacer} keeps one row per destination in the pacing table.
 *
 * <p>A slot is booked before the send: the destination's next free time is handed to one message and moved on by
 * the send's interval. A message whose slot is too far off to wait for in the invocation keeps it (recorded on the
 * message as {@code Message.Waiting}) and comes back for it, so a backlog drains in booking order at the
 * destination's rate, with two receives per waiting message whatever the backlog.
 */
public interface Pacer {

    /**
     * Books the destination's next free slot for one send taking {@code interval} of its rate: {@code now} if the
     * destination is free, else the first free time. A zero interval books nothing and returns {@code now}.
     */
    Instant book(Destination destination, Duration interval, Instant now);

    /** The destination asked us to wait (a 429's Retry-After, SES throttling): no slot is handed out before {@code until}. */
    void pause(Destination destination, Instant until);

    /** No pacing: every slot is now. For tests of everything else. */
    static Pacer unpaced() {
        return new Pacer() {
            @Override
            public Instant book(Destination destination, Duration interval, Instant now) {
                return now;
            }

            @Override
            public void pause(Destination destination, Instant until) {
            }
        };
    }
}
