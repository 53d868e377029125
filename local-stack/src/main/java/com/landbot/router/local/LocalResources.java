package com.landbot.router.local;

import com.landbot.router.shared.AwsClients;
import com.landbot.router.testing.TemplateDefinitions;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.InvalidAttributeNameException;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The template's data resources on the emulators: the messages table, the queue with its redrive policy, the
 * dead-letter queue, and the SES sender identity. Definitions come from template.yaml (key schema, visibility
 * timeout, maxReceiveCount, retention), names from the stack name, as CloudFormation would name them.
 * The emulators keep everything in memory, so each run starts empty and a second run needs no cleanup.
 */
record LocalResources(String tableName, String idempotencyTableName, String queueName, String queueUrl, String deadLetterQueueName,
                      String deadLetterQueueUrl, String senderAddress, List<String> pricingRecipients) {

    static final String STACK_NAME = "landbot-router-local";

    static LocalResources create(AwsClients clients, String senderAddress, List<String> pricingRecipients) {
        String tableName = STACK_NAME + "-messages";
        String idempotencyTableName = STACK_NAME + "-idempotency";
        try (DynamoDbClient dynamo = clients.dynamoDb()) {
            dynamo.createTable(TemplateDefinitions.messagesTable(tableName));
            dynamo.createTable(TemplateDefinitions.idempotencyTable(idempotencyTableName));
            dynamo.waiter().waitUntilTableExists(b -> b.tableName(tableName));
            dynamo.waiter().waitUntilTableExists(b -> b.tableName(idempotencyTableName));
            String ttl = TemplateDefinitions.timeToLiveAttribute("IdempotencyTable");
            if (ttl != null) {
                dynamo.updateTimeToLive(b -> b.tableName(idempotencyTableName)
                        .timeToLiveSpecification(t -> t.attributeName(ttl).enabled(true)));
            }
        }

        // The template's queue names: ${AWS::StackName}-messages and -messages-dlq.
        String queueName = STACK_NAME + "-messages";
        String deadLetterQueueName = queueName + "-dlq";
        String queueUrl;
        String deadLetterQueueUrl;
        try (SqsClient sqs = clients.sqs()) {
            deadLetterQueueUrl = sqs.createQueue(b -> b.queueName(deadLetterQueueName)).queueUrl();
            queueUrl = sqs.createQueue(b -> b.queueName(queueName)).queueUrl();
            // Attributes set after creation: each queue's policy names the other's ARN, as in the template.
            sqs.setQueueAttributes(b -> b.queueUrl(queueUrl)
                    .attributes(TemplateDefinitions.messageQueueAttributes(arn(sqs, deadLetterQueueUrl))));
            Map<QueueAttributeName, String> dlqAttributes = TemplateDefinitions.deadLetterQueueAttributes(arn(sqs, queueUrl));
            // ElasticMQ does not know RedriveAllowPolicy; it only restricts which queues may use this DLQ.
            dlqAttributes.remove(QueueAttributeName.REDRIVE_ALLOW_POLICY);
            try {
                sqs.setQueueAttributes(b -> b.queueUrl(deadLetterQueueUrl).attributes(dlqAttributes));
            } catch (InvalidAttributeNameException e) {
                throw new IllegalStateException("ElasticMQ refused the dead-letter queue's attributes " + dlqAttributes.keySet(), e);
            }
        }

        // SES refuses to send from an unverified address; moto treats a created identity as verified.
        try (SesV2Client ses = clients.build(SesV2Client.builder(), "SESV2")) {
            ses.createEmailIdentity(b -> b.emailIdentity(senderAddress));
        }
        return new LocalResources(tableName, idempotencyTableName, queueName, queueUrl, deadLetterQueueName, deadLetterQueueUrl,
                senderAddress, List.copyOf(pricingRecipients));
    }

    private static String arn(SqsClient sqs, String queueUrl) {
        return sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }
}
