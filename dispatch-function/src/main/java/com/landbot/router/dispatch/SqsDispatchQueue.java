package com.landbot.router.dispatch;

import java.time.Duration;
import software.amazon.awssdk.services.sqs.SqsClient;

public final class SqsDispatchQueue implements DispatchQueue {

    /** SQS's ceiling for a visibility timeout. */
    private static final long MAX_VISIBILITY_SECONDS = 12 * 60 * 60;

    private final SqsClient sqs;
    private final String queueUrl;
    private final String deadLetterQueueUrl;

    public SqsDispatchQueue(SqsClient sqs, String queueUrl, String deadLetterQueueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.deadLetterQueueUrl = deadLetterQueueUrl;
    }

    @Override
    public void delayRetry(String receiptHandle, Duration delay) {
        long seconds = Math.max(0, Math.min(MAX_VISIBILITY_SECONDS, delay.toSeconds()));
        sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(receiptHandle).visibilityTimeout((int) seconds));
    }

    @Override
    public void deadLetter(String body) {
        sqs.sendMessage(b -> b.queueUrl(deadLetterQueueUrl).messageBody(body));
    }
}
