package com.landbot.router.dispatch;

/**
 * One SQS record as the dispatcher needs it. {@code receiveCount} is SQS's ApproximateReceiveCount: it tells
 * which attempt this is, and so whether SQS will move the message to the DLQ after it.
 */
public record Delivery(String sqsMessageId, String receiptHandle, String body, int receiveCount) {
}
