package com.landbot.router.tools;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

/**
 * Drives an SQS-triggered handler the way Lambda's event source mapping does: long-poll a batch, hand it over
 * as an {@link SQSEvent}, delete the records the handler did not list in its partial batch response, and leave
 * the listed ones to the queue (their visibility timeout, then the redrive policy, decide what happens next).
 * A handler that throws fails the whole batch, as in Lambda, and leaves the records' visibility as it was.
 */
public final class SqsEventSource {

    private final SqsClient sqs;
    private final String queueUrl;
    private final String queueArn;
    private final String region;
    private final int batchSize;

    public SqsEventSource(SqsClient sqs, String queueUrl, String region, int batchSize) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.region = region;
        this.batchSize = batchSize;
        this.queueArn = sqs.getQueueAttributes(GetQueueAttributesRequest.builder()
                .queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN).build())
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    /** What one poll did. */
    public record Poll(int received, int deleted, int failed) {
    }

    /** One receive-invoke-delete cycle; waits up to {@code waitSeconds} for messages. */
    public Poll pollOnce(Function<SQSEvent, SQSBatchResponse> handler, int waitSeconds) {
        List<Message> messages = sqs.receiveMessage(ReceiveMessageRequest.builder()
                .queueUrl(queueUrl)
                .maxNumberOfMessages(batchSize)
                .waitTimeSeconds(waitSeconds)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                .messageAttributeNames("All")
                .build()).messages();
        if (messages.isEmpty()) {
            return new Poll(0, 0, 0);
        }
        Set<String> failed = new HashSet<>();
        try {
            SQSBatchResponse response = handler.apply(event(messages));
            if (response != null && response.getBatchItemFailures() != null) {
                response.getBatchItemFailures().forEach(f -> failed.add(f.getItemIdentifier()));
            }
        } catch (RuntimeException | Error e) {
            // As in Lambda: an invocation that fails (or whose runtime dies) fails its whole batch, and the
            // records come back when their visibility timeout ends.
            messages.forEach(m -> failed.add(m.messageId()));
        }
        List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>();
        for (Message message : messages) {
            if (!failed.contains(message.messageId())) {
                deletes.add(DeleteMessageBatchRequestEntry.builder()
                        .id(Integer.toString(deletes.size()))
                        .receiptHandle(message.receiptHandle())
                        .build());
            }
        }
        if (!deletes.isEmpty()) {
            sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(deletes));
        }
        return new Poll(messages.size(), deletes.size(), messages.size() - deletes.size());
    }

    /** Polls until a poll finds the queue empty (or {@code maxPolls} polls), returning the total. */
    public Poll drain(Function<SQSEvent, SQSBatchResponse> handler, int maxPolls) {
        int received = 0;
        int deleted = 0;
        int failed = 0;
        for (int i = 0; i < maxPolls; i++) {
            Poll poll = pollOnce(handler, 1);
            if (poll.received() == 0) {
                break;
            }
            received += poll.received();
            deleted += poll.deleted();
            failed += poll.failed();
        }
        return new Poll(received, deleted, failed);
    }

    SQSEvent event(List<Message> messages) {
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (Message message : messages) {
            SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
            record.setMessageId(message.messageId());
            record.setReceiptHandle(message.receiptHandle());
            record.setBody(message.body());
            record.setMd5OfBody(message.md5OfBody());
            Map<String, String> attributes = new HashMap<>();
            message.attributes().forEach((name, value) -> attributes.put(name.toString(), value));
            record.setAttributes(attributes);
            record.setMessageAttributes(Map.of());
            record.setEventSource("aws:sqs");
            record.setEventSourceArn(queueArn);
            record.setAwsRegion(region);
            records.add(record);
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(records);
        return event;
    }
}
