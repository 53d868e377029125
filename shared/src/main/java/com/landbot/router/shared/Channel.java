package com.landbot.router.shared;

/**
 * A human channel a message can be delivered to (Slack, email, ...). Adding a channel is one new class
 * implementing this, registered in the dispatcher's {@link ChannelRegistry}, and its target rule in
 * {@link ChannelTargets}; routing a topic to it is data (the topics table, {@code PUT /topics/{name}}).
 *
 * <p>Implementations classify every failure: {@link DeliveryException.Retryable} when trying again later may
 * succeed (throttling, 5xx, timeouts, network errors), {@link DeliveryException.Permanent} when it cannot
 * (the channel rejected the content or no longer exists). Anything else thrown is treated as retryable.
 */
public interface Channel {

    /** The name routes use for this channel, lower-case: {@code slack}, {@code email}. */
    String name();

    /**
     * Delivers one message to the target its topic's route names (recipients, a webhook's secret); returns the
     * channel's id for the delivery, if it gives one.
     */
    DeliveryReceipt deliver(Message message, Route route) throws DeliveryException;
}
