package com.landbot.router.dispatch;

import com.landbot.router.shared.Lazy;
import com.landbot.router.shared.Priming;
import java.time.Duration;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The dispatcher's SQS calls. A delivered message needs none (Lambda deletes what the batch response does not list),
 * so the client is built on the first retry or dead-lettering, not at container start.
 */
public final class SqsDispatchQueue implements DispatchQueue {

    /** SQS's ceiling for a visibility timeout. */
    private static final long MAX_VISIBILITY_SECONDS = 12 * 60 * 60;

    private final Lazy<SqsClient> sqs;
    private final String queueUrl;
    private final String deadLetterQueueUrl;

    /** @param sqs called at most once, on the first call */
    public SqsDispatchQueue(Supplier<SqsClient> sqs, String queueUrl, String deadLetterQueueUrl) {
        this.sqs = new Lazy<>(sqs);
        this.queueUrl = queueUrl;
        this.deadLetterQueueUrl = deadLetterQueueUrl;
    }

    @Override
    public void delayRetry(String receiptHandle, Duration delay) {
        long seconds = Math.max(0, Math.min(MAX_VISIBILITY_SECONDS, delay.toSeconds()));
        sqs.get().changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(receiptHandle).visibilityTimeout((int) seconds));
    }

    @Override
    public void deadLetter(String body) {
        sqs.get().sendMessage(b -> b.queueUrl(deadLetterQueueUrl).messageBody(body));
    }

    /** A retry's visibility change rehearsed: the client is in the snapshot, nothing is sent. */
    @Override
    public void prime() {
        Priming.rehearse(() -> delayRetry("priming", Duration.ZERO));
    }
}
