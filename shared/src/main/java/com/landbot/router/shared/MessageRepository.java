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
     * Takes the message for one delivery attempt: counts the attempt and leases it to this invocation until
     * {@code now + lease}, so a concurrent duplicate delivery finds it {@link Claim.Busy} and cannot send too.
     * Any status but SENT can be claimed once no unexpired lease is held (ERROR too: that is how a redrive
     * retries). On the final attempt the message is claimed straight into ERROR with a marker error, so that a
     * dispatcher that crashes or times out leaves it reading ERROR when SQS moves it to the dead-letter queue.
     */
    Claim claim(String id, Instant now, java.time.Duration lease, boolean finalAttempt);

    /** SENDING/ERROR -> SENT, if {@code token} still holds the claim. Returns whether it did. */
    boolean markSent(Claim.Claimed claim, Instant at, String deliveryId);

    /** -> QUEUED with the error, claim released: SQS will deliver it again. Returns whether the token held. */
    boolean markRetrying(Claim.Claimed claim, Instant at, String error);

    /**
     * -> QUEUED holding a send slot at a rate-limited destination, claim released: back-pressure, not failure, so
     * the attempt this claim counted is given back and {@code lastError} stays what it was before the claim.
     * Returns whether the token held.
     */
    boolean markWaiting(Claim.Claimed claim, Instant at, Message.Waiting waiting);

    /**
     * -> ERROR with the error, claim released, without an attempt: the claim found the message past its attempt
     * limit (the last attempt crashed before reporting back), so the attempt it counted is given back unmade.
     */
    boolean markAbandoned(Claim.Claimed claim, Instant at, String error);

    /** -> ERROR with the error, claim released: no retry will follow until a redrive. Returns whether the token held. */
    boolean markFailed(Claim.Claimed claim, Instant at, String error);

    /**
     * -> ERROR for a message whose last receive ended without an attempt (deferred by rate limiting or the
     * invocation's deadline), unless it was sent or is claimed meanwhile. Returns whether it was marked.
     */
    boolean markExhausted(String id, Instant at, String error);
}
