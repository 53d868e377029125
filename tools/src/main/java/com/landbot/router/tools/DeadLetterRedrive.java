package com.landbot.router.tools;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.ListMessageMoveTasksResultEntry;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.StartMessageMoveTaskRequest;

/**
 * Moves the dead-letter queue's messages back to the queue they came from with an SQS message move task, the
 * same mechanism as the console's "Start DLQ redrive". The dispatcher then delivers them like any message:
 * ERROR is claimable, attempts keep counting, a message already SENT is acknowledged without sending.
 */
public final class DeadLetterRedrive {

    private final SqsClient sqs;

    public DeadLetterRedrive(SqsClient sqs) {
        this.sqs = sqs;
    }

    /** How a move task ended (or stands, when not waited for). */
    public record Result(String taskHandle, String status, long moved, long toMove, String failureReason) {
    }

    /** Messages in the queue (visible + in flight), as SQS counts them. */
    public long count(String queueUrl) {
        var attributes = sqs.getQueueAttributes(GetQueueAttributesRequest.builder()
                .queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)
                .build()).attributes();
        return Long.parseLong(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Long.parseLong(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    public String arn(String queueUrl) {
        return sqs.getQueueAttributes(GetQueueAttributesRequest.builder()
                        .queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN).build())
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    /** A queue URL from a URL or a name. */
    public String resolve(String nameOrUrl) {
        return nameOrUrl.startsWith("http://") || nameOrUrl.startsWith("https://")
                ? nameOrUrl
                : sqs.getQueueUrl(b -> b.queueName(nameOrUrl)).queueUrl();
    }

    /**
     * Starts the move.
     *
     * @param destinationUrl null to send each message back to the queue it came from (SQS's default)
     * @param maxPerSecond   null for SQS's own pace
     */
    public String start(String deadLetterQueueUrl, String destinationUrl, Integer maxPerSecond) {
        StartMessageMoveTaskRequest.Builder request = StartMessageMoveTaskRequest.builder().sourceArn(arn(deadLetterQueueUrl));
        if (destinationUrl != null) {
            request.destinationArn(arn(destinationUrl));
        }
        if (maxPerSecond != null) {
            request.maxNumberOfMessagesPerSecond(maxPerSecond);
        }
        return sqs.startMessageMoveTask(request.build()).taskHandle();
    }

    /** The newest move task of this DLQ. */
    public Result status(String deadLetterQueueUrl) {
        List<ListMessageMoveTasksResultEntry> tasks = sqs.listMessageMoveTasks(b -> b.sourceArn(arn(deadLetterQueueUrl)).maxResults(1)).results();
        if (tasks.isEmpty()) {
            return new Result(null, "NONE", 0, 0, null);
        }
        ListMessageMoveTasksResultEntry task = tasks.get(0);
        return new Result(task.taskHandle(), task.status(),
                task.approximateNumberOfMessagesMoved() == null ? 0 : task.approximateNumberOfMessagesMoved(),
                task.approximateNumberOfMessagesToMove() == null ? 0 : task.approximateNumberOfMessagesToMove(),
                task.failureReason());
    }

    /** Polls the task until it is no longer RUNNING, or the timeout passes. */
    public Result await(String deadLetterQueueUrl, Duration timeout, java.util.function.Consumer<Result> progress)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        Result result = status(deadLetterQueueUrl);
        while (("RUNNING".equals(result.status()) || "CANCELLING".equals(result.status())) && Instant.now().isBefore(deadline)) {
            progress.accept(result);
            Thread.sleep(500);
            result = status(deadLetterQueueUrl);
        }
        return result;
    }
}
