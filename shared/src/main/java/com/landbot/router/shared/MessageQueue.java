package com.landbot.router.shared;

/** The work queue between ingest and dispatch. */
public interface MessageQueue {

    /** SnapStart priming: an enqueue built, marshalled and signed, never sent ({@link Priming#rehearse}). */
    default void rehearseEnqueue() {
    }

    /** Puts the message on the queue; returns the queue's id for it. Throws the SDK's exception on failure. */
    String enqueue(QueuedMessage message);
}
