package com.landbot.router.shared;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** {@link MessageRepository} on a DynamoDB table keyed by {@code id} (see {@code MessagesTable} in template.yaml). */
public final class DynamoDbMessageRepository implements MessageRepository {

    // Attribute names: the table's schema, in one place.
    public static final String ID = "id";
    static final String TOPIC = "topic";
    static final String CHANNEL = "channel";
    static final String DESCRIPTION = "description";
    static final String STATUS = "status";
    static final String ATTEMPTS = "attempts";
    static final String CREATED_AT = "createdAt";
    static final String UPDATED_AT = "updatedAt";
    static final String QUEUED_AT = "queuedAt";
    static final String SENT_AT = "sentAt";
    static final String LAST_ERROR = "lastError";
    static final String DELIVERY_ID = "deliveryId";

    private final DynamoDbClient dynamo;
    private final String tableName;

    public DynamoDbMessageRepository(DynamoDbClient dynamo, String tableName) {
        this.dynamo = dynamo;
        this.tableName = tableName;
    }

    @Override
    public void create(Message message) {
        try {
            dynamo.putItem(PutItemRequest.builder()
                    .tableName(tableName)
                    .item(toItem(message))
                    .conditionExpression("attribute_not_exists(#id)")
                    .expressionAttributeNames(Map.of("#id", ID))
                    .build());
        } catch (ConditionalCheckFailedException e) {
            throw new IllegalStateException("message " + message.id() + " already exists", e);
        }
    }

    @Override
    public boolean markQueued(String id, Instant at) {
        try {
            dynamo.updateItem(UpdateItemRequest.builder()
                    .tableName(tableName)
                    .key(key(id))
                    .updateExpression("SET #status = :queued, #queuedAt = :at, #updatedAt = :at")
                    .conditionExpression("#status = :pending")
                    .expressionAttributeNames(Map.of("#status", STATUS, "#queuedAt", QUEUED_AT, "#updatedAt", UPDATED_AT))
                    .expressionAttributeValues(Map.of(
                            ":queued", s(MessageStatus.QUEUED.name()),
                            ":pending", s(MessageStatus.PENDING.name()),
                            ":at", s(at.toString())))
                    .build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public boolean deleteUnqueued(String id) {
        try {
            dynamo.deleteItem(DeleteItemRequest.builder()
                    .tableName(tableName)
                    .key(key(id))
                    .conditionExpression("#status = :pending")
                    .expressionAttributeNames(Map.of("#status", STATUS))
                    .expressionAttributeValues(Map.of(":pending", s(MessageStatus.PENDING.name())))
                    .build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public Optional<Message> find(String id) {
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder()
                        .tableName(tableName)
                        .key(key(id))
                        .consistentRead(true)
                        .build())
                .item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    static Map<String, AttributeValue> key(String id) {
        return Map.of(ID, s(id));
    }

    static Map<String, AttributeValue> toItem(Message m) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(ID, s(m.id()));
        item.put(TOPIC, s(m.topic()));
        item.put(CHANNEL, s(m.channel()));
        item.put(DESCRIPTION, s(m.description()));
        item.put(STATUS, s(m.status().name()));
        item.put(ATTEMPTS, AttributeValue.fromN(Integer.toString(m.attempts())));
        item.put(CREATED_AT, s(m.createdAt().toString()));
        item.put(UPDATED_AT, s(m.updatedAt().toString()));
        putIfPresent(item, QUEUED_AT, m.queuedAt());
        putIfPresent(item, SENT_AT, m.sentAt());
        putIfPresent(item, LAST_ERROR, m.lastError());
        putIfPresent(item, DELIVERY_ID, m.deliveryId());
        return item;
    }

    static Message fromItem(Map<String, AttributeValue> item) {
        return new Message(
                string(item, ID),
                string(item, TOPIC),
                string(item, CHANNEL),
                string(item, DESCRIPTION),
                MessageStatus.valueOf(string(item, STATUS)),
                item.containsKey(ATTEMPTS) ? Integer.parseInt(item.get(ATTEMPTS).n()) : 0,
                instant(item, CREATED_AT),
                instant(item, UPDATED_AT),
                instant(item, QUEUED_AT),
                instant(item, SENT_AT),
                string(item, LAST_ERROR),
                string(item, DELIVERY_ID));
    }

    private static void putIfPresent(Map<String, AttributeValue> item, String name, Object value) {
        if (value != null) {
            item.put(name, s(value.toString()));
        }
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    private static Instant instant(Map<String, AttributeValue> item, String name) {
        String value = string(item, name);
        return value == null ? null : Instant.parse(value);
    }
}
