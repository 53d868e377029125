package com.landbot.router.shared;

import java.time.Instant;
import java.util.Optional;

/**
 * The messages table. Every status change is a conditional write: the condition, not the caller's
 * belief, decides whether a transition happens, so concurrent or repeated invocations cannot
 * move a message backwards or send it twice.
 */
public interface MessageRepository {

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
}
