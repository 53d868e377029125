package com.landbot.router.shared;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

public final class SqsMessageQueue implements MessageQueue {

    private final SqsClient sqs;
    private final String queueUrl;

    public SqsMessageQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void rehearseEnqueue() {
        Priming.rehearse(() -> enqueue(new QueuedMessage(Priming.SAMPLE_ID, "priming", "priming")));
    }

    @Override
    public String enqueue(QueuedMessage message) {
        return sqs.sendMessage(SendMessageRequest.builder()
                        .queueUrl(queueUrl)
                        .messageBody(message.toJson())
                        .build())
                .messageId();
    }
}
