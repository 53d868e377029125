package com.landbot.router.shared;

import java.time.Instant;
import java.util.Optional;

/**
 * The messages table. Every status change is a conditional write: the condition, not the caller's
 * belief, decides whether a transition happens, so concurrent or repeated invocations cannot
 * move a message backwards or send it twice.
 */
public interface MessageRepository {

    /**
     * SnapStart priming: the write requests (create, markQueued, claim) built, marshalled and signed, never sent
     * ({@link Priming#rehearse}). Nothing for a store without an SDK client.
     */
    default void rehearseWrites() {
    }

    /** Stores a new PENDING message. @throws IllegalStateException if the id exists (ids are random UUIDs, so: a bug) */
    void create(Message message);

    /**
     * PENDING -> QUEUED. Returns false when the message is no longer PENDING: the dispatcher may already
     * have claimed it, which is fine, because being on the queue is all QUEUED promises.
     */
    boolean markQueued(String id, Instant at);

    /**
     * Removes a message that never reached the queue, so nothing claims a delivery that will not happen.
     * Only a PENDING message is removed; returns whether it was.
     */
    boolean deleteUnqueued(String id);

    Optional<Message> find(String id);

    /**
     * Messages in one status, newest first (by acceptance time), at most {@code limit} per page.
     *
     * @param cursor null for the first page, else the {@link MessagePage#nextCursor()} of the previous page
     * @throws IllegalArgumentException when the cursor is not one this listing gave out for this status
     */
    MessagePage listByStatus(MessageStatus status, int limit, String cursor);

    /**
     * As {@link #listByStatus}, only the messages {@code selection} includes. A page may hold fewer than {@code limit}
     * messages (even none) and still have a next one: {@code limit} bounds how many are examined.
     */
    MessagePage listByStatus(MessageStatus status, MessageSelection selection, int limit, String cursor);

    /** How many messages are in this status now. */
    long countByStatus(MessageStatus status);

    /**
     * ERROR -> QUEUED for an operator's retry, with {@code retryRequestedAt}; history and error are kept. Refused
     * (false) unless the message is in ERROR and no final attempt holds a claim on it, so of two concurrent retries
     * one wins and only its caller puts the message on the queue.
     */
    boolean requestRetry(String id, Instant at);

    /**
     * Undoes {@link #requestRetry} whose enqueue failed: back to ERROR if the message is still QUEUED by that request
     * ({@code requestedAt}), so nothing reads QUEUED that is not on the queue. Returns whether it did.
     */
    boolean withdrawRetry(String id, Instant requestedAt);

    /**
     * Takes the message for one delivery attempt: counts the attempt and leases it to this invocation until
     * {@code now + lease}, so a concurrent duplicate delivery finds it {@link Claim.Busy} and cannot send too.
     * Any status but SENT can be claimed once no unexpired lease is held (ERROR too: that is how a redrive
     * retries). On the final attempt the message is claimed straight into ERROR with a marker error, so that a
     * dispatcher that crashes or times out leaves it reading ERROR when SQS moves it to the dead-letter queue.
     */
    Claim claim(String id, Instant now, java.time.Duration lease, boolean finalAttempt);

    /*
     * The three outcomes of a claimed attempt add the attempt to the message's history in the same conditional
     * write: only the claim's holder writes history, so the claimed message's history plus this attempt is the truth.
     */

    /** SENDING/ERROR -> SENT, if {@code token} still holds the claim. Returns whether it did. */
    boolean markSent(Claim.Claimed claim, Instant at, String deliveryId, DeliveryAttempt attempt);

    /** -> QUEUED with the error, claim released: SQS will deliver it again. Returns whether the token held. */
    boolean markRetrying(Claim.Claimed claim, Instant at, String error, DeliveryAttempt attempt);

    /**
     * -> QUEUED holding a send slot at a rate-limited destination, claim released: back-pressure, not failure, so
     * the attempt this claim counted is given back and {@code lastError} stays what it was before the claim.
     * Returns whether the token held.
     *
     * @param attempt the send the receiver pushed back (a 429: {@link DeliveryAttempt.Outcome#RATE_LIMITED}), added to
     *                the history; null when nothing was sent (waiting for a pacing slot)
     */
    boolean markWaiting(Claim.Claimed claim, Instant at, Message.Waiting waiting, DeliveryAttempt attempt);

    /**
     * -> ERROR with the error, claim released, without an attempt: the claim found the message past its attempt
     * limit (the last attempt crashed before reporting back), so the attempt it counted is given back unmade.
     */
    boolean markAbandoned(Claim.Claimed claim, Instant at, String error);

    /**
     * -> ERROR with the error, claim released: no retry will follow until a redrive. Returns whether the token held.
     * {@code attempt} is null when the message ends without a send (still waiting on its last receive).
     */
    boolean markFailed(Claim.Claimed claim, Instant at, String error, DeliveryAttempt attempt);

    /**
     * -> ERROR for a message whose last receive ended without an attempt (deferred by rate limiting or the
     * invocation's deadline), unless it was sent or is claimed meanwhile. Returns whether it was marked.
     */
    boolean markExhausted(String id, Instant at, String error);
}
