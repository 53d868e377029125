package com.landbot.router.emulators;

import com.landbot.router.shared.DynamoDbRouteStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.InvalidAttributeNameException;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The template's data resources (messages table, idempotency table, queue, dead-letter queue) created on any
 * endpoint from template.yaml's own definitions: key schemas, TTL, visibility timeout, redrive policy. The one
 * place both the tests ({@link TestStack}) and the local stack create them.
 */
public record TemplateResources(String tableName, String idempotencyTableName, String topicsTableName, String queueName,
                                String queueUrl, String deadLetterQueueName, String deadLetterQueueUrl, String pacingTableName) {

    /**
     * Creates them under the given names, the topics table named {@code tableName + "-topics"} and seeded as a
     * deployment seeds it, the pacing table {@code tableName + "-pacing"}; the dead-letter queue is named {@code queueName + "-dlq"}, as in the template.
     */
    /**
     * On a loaded machine moto can take longer than the SDK's attempt timeout to create a table: the SDK retries,
     * and the retry finds the table its first attempt made. The names are fresh per call, so that table is ours.
     */
    private static void createTable(DynamoDbClient dynamo, CreateTableRequest request) {
        try {
            dynamo.createTable(request);
        } catch (ResourceInUseException e) {
            if (e.numAttempts() == null || e.numAttempts() < 2) {
                throw e;
            }
        }
    }

    public static TemplateResources create(DynamoDbClient dynamo, SqsClient sqs, String tableName,
                                           String idempotencyTableName, String queueName) {
        String topicsTableName = tableName + "-topics";
        String pacingTableName = tableName + "-pacing";
        createTable(dynamo, TemplateDefinitions.messagesTable(tableName));
        createTable(dynamo, TemplateDefinitions.idempotencyTable(idempotencyTableName));
        createTable(dynamo, TemplateDefinitions.topicsTable(topicsTableName));
        createTable(dynamo, TemplateDefinitions.table("PacingTable", pacingTableName));
        dynamo.waiter().waitUntilTableExists(b -> b.tableName(tableName));
        dynamo.waiter().waitUntilTableExists(b -> b.tableName(idempotencyTableName));
        dynamo.waiter().waitUntilTableExists(b -> b.tableName(topicsTableName));
        dynamo.waiter().waitUntilTableExists(b -> b.tableName(pacingTableName));
        DynamoDbRouteStore routes = new DynamoDbRouteStore(dynamo, topicsTableName, TemplateDefinitions.channelTargets());
        // As the deployment's seeder writes them: with the time, so GET /topics shows when each route was set.
        Instant seededAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        TemplateDefinitions.seedTopics().forEach(route -> routes.put(route.withUpdatedAt(seededAt)));
        String ttl = TemplateDefinitions.timeToLiveAttribute("IdempotencyTable");
        if (ttl != null) {
            dynamo.updateTimeToLive(b -> b.tableName(idempotencyTableName)
                    .timeToLiveSpecification(t -> t.attributeName(ttl).enabled(true)));
        }

        String deadLetterQueueName = queueName + "-dlq";
        String dlqUrl = sqs.createQueue(b -> b.queueName(deadLetterQueueName)).queueUrl();
        String queueUrl = sqs.createQueue(b -> b.queueName(queueName)).queueUrl();
        // Attributes set after creation: each queue's policy names the other's ARN, as in the template.
        sqs.setQueueAttributes(b -> b.queueUrl(queueUrl).attributes(TemplateDefinitions.messageQueueAttributes(arn(sqs, dlqUrl))));
        setDeadLetterQueueAttributes(sqs, dlqUrl, arn(sqs, queueUrl));
        return new TemplateResources(tableName, idempotencyTableName, topicsTableName, queueName, queueUrl,
                deadLetterQueueName, dlqUrl, pacingTableName);
    }

    private static void setDeadLetterQueueAttributes(SqsClient sqs, String dlqUrl, String sourceQueueArn) {
        Map<QueueAttributeName, String> attributes = TemplateDefinitions.deadLetterQueueAttributes(sourceQueueArn);
        try {
            sqs.setQueueAttributes(b -> b.queueUrl(dlqUrl).attributes(attributes));
        } catch (InvalidAttributeNameException e) {
            // ElasticMQ does not know RedriveAllowPolicy (AWS and LocalStack do). It only restricts which queues
            // may use this DLQ, so nothing tested or run locally loses by going without it there.
            attributes.remove(QueueAttributeName.REDRIVE_ALLOW_POLICY);
            sqs.setQueueAttributes(b -> b.queueUrl(dlqUrl).attributes(attributes));
        }
    }

    public static String arn(SqsClient sqs, String queueUrl) {
        return sqs.getQueueAttributes(GetQueueAttributesRequest.builder()
                        .queueUrl(queueUrl)
                        .attributeNames(QueueAttributeName.QUEUE_ARN)
                        .build())
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }
}
