package com.landbot.router.emulators;

import com.landbot.router.shared.AwsClients;
import com.landbot.router.shared.DynamoDbMessageRepository;
import com.landbot.router.shared.DynamoDbRouteStore;
import com.landbot.router.shared.MessageRepository;
import com.landbot.router.shared.RouteStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

/**
 * The template's data resources (messages table, queue, dead-letter queue), created fresh for one test under
 * unique names and deleted after it: each test starts from empty state, on emulators and on AWS alike.
 */
public final class TestStack implements AutoCloseable {

    private final Emulators emulators;
    private final DynamoDbClient dynamo;
    private final SqsClient sqs;
    private final TemplateResources resources;

    private TestStack(Emulators emulators, DynamoDbClient dynamo, SqsClient sqs, TemplateResources resources) {
        this.emulators = emulators;
        this.dynamo = dynamo;
        this.sqs = sqs;
        this.resources = resources;
    }

    public static TestStack create() {
        Emulators emulators = Emulators.get();
        AwsClients clients = emulators.clients();
        DynamoDbClient dynamo = clients.dynamoDb();
        SqsClient sqs = clients.sqs();
        String name = "landbot-test-" + UUID.randomUUID().toString().substring(0, 8);

        TemplateResources resources = TemplateResources.create(dynamo, sqs, name, name + "-idempotency", name + "-messages");
        return new TestStack(emulators, dynamo, sqs, resources);
    }

    public String tableName() {
        return resources.tableName();
    }

    public String idempotencyTableName() {
        return resources.idempotencyTableName();
    }

    public String topicsTableName() {
        return resources.topicsTableName();
    }

    /** The dispatchers' shared send slots per destination (PacingTable). */
    public String pacingTableName() {
        return resources.pacingTableName();
    }

    /** The topics table, seeded as a fresh deployment is. */
    public RouteStore routes() {
        return new DynamoDbRouteStore(dynamo, resources.topicsTableName(), TemplateDefinitions.channelTargets());
    }

    public String queueUrl() {
        return resources.queueUrl();
    }

    public String deadLetterQueueUrl() {
        return resources.deadLetterQueueUrl();
    }

    public DynamoDbClient dynamo() {
        return dynamo;
    }

    public SqsClient sqs() {
        return sqs;
    }

    public MessageRepository repository() {
        return new DynamoDbMessageRepository(dynamo, resources.tableName());
    }

    /** What a function deployed against this stack would find in its environment. */
    public Map<String, String> functionEnvironment() {
        return FunctionEnvironment.of(emulators.environment(), resources).toMap();
    }

    public List<Map<String, AttributeValue>> items() {
        return dynamo.scan(ScanRequest.builder().tableName(resources.tableName()).consistentRead(true).build()).items();
    }

    /** Every record of the idempotency table. */
    public List<Map<String, AttributeValue>> idempotencyItems() {
        return dynamo.scan(ScanRequest.builder().tableName(resources.idempotencyTableName()).consistentRead(true).build()).items();
    }

    /**
     * Every message on a queue now, received (and so hidden for a minute) but not deleted:
     * reading a queue back without consuming what a later step of the test may need.
     */
    public List<Message> receiveAll(String url) {
        List<Message> all = new ArrayList<>();
        while (true) {
            List<Message> batch = sqs.receiveMessage(ReceiveMessageRequest.builder()
                    .queueUrl(url)
                    .maxNumberOfMessages(10)
                    .visibilityTimeout(60)
                    .waitTimeSeconds(all.isEmpty() ? 1 : 0)
                    .messageSystemAttributeNamesWithStrings("All")
                    .build()).messages();
            if (batch.isEmpty()) {
                return all;
            }
            all.addAll(batch);
        }
    }

    /** Visible plus in-flight messages, as SQS counts them. */
    public int approximateCount(String url) {
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(GetQueueAttributesRequest.builder()
                .queueUrl(url)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)
                .build()).attributes();
        return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    @Override
    public void close() {
        try {
            dynamo.deleteTable(b -> b.tableName(resources.tableName()));
            dynamo.deleteTable(b -> b.tableName(resources.idempotencyTableName()));
            dynamo.deleteTable(b -> b.tableName(resources.topicsTableName()));
            dynamo.deleteTable(b -> b.tableName(resources.pacingTableName()));
        } finally {
            sqs.deleteQueue(b -> b.queueUrl(resources.queueUrl()));
            sqs.deleteQueue(b -> b.queueUrl(resources.deadLetterQueueUrl()));
        }
    }
}
