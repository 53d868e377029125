package com.landbot.router.shared;

/**
 * A human channel a message can be delivered to (Slack, email, ...), delivering to its own kind of {@link Target}.
 * Adding a channel is one class implementing this, registered in the dispatcher's {@link ChannelRegistry}, its
 * target record and its entry in {@link ChannelTargets}; routing a topic to it is data (the topics table,
 * {@code PUT /topics/{name}}).
 *
 * <p>Implementations classify every failure: {@link DeliveryException.Retryable} when trying again later may
 * succeed (throttling, 5xx, timeouts, network errors), {@link DeliveryException.Permanent} when it cannot
 * (the channel rejected the content or no longer exists). Anything else thrown is treated as retryable.
 *
 * @param <T> the target this channel delivers to
 */
public interface Channel<T extends Target> {

    /** The name routes use for this channel, lower-case: {@code slack}, {@code email}. */
    String name();

    /** The class of target this channel takes; the dispatcher checks a route's target against it. */
    Class<T> targetType();

    /**
     * Delivers one message to the target its topic's route names; returns the channel's id for the delivery, if
     * it gives one.
     */
    DeliveryReceipt deliver(Message message, T target) throws DeliveryException;

    /**
     * SnapStart priming ({@link Priming}): builds this channel's clients and runs its request path as far as it
     * can without delivering anything or reading a secret into the snapshot (SDK calls {@link Priming#rehearse rehearsed}).
     */
    default void prime() {
    }
}
