package com.landbot.router.ingest.idempotency;

import com.landbot.router.ingest.idempotency.IdempotencyStore.KeyClaim.Claimed;
import com.landbot.router.ingest.idempotency.IdempotencyStore.KeyClaim.Completed;
import com.landbot.router.ingest.idempotency.IdempotencyStore.KeyClaim.InFlight;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * {@link IdempotencyStore} on the {@code IdempotencyTable} of template.yaml: key {@code key}, TTL on
 * {@code expiresAt}. DynamoDB deletes expired items lazily (up to days late), so every condition also treats an
 * item past {@code expiresAt} as absent.
 */
public final class DynamoDbIdempotencyStore implements IdempotencyStore {

    // Attribute names: the table's schema, in one place.
    public static final String KEY = "key";
    public static final String REQUEST_HASH = "requestHash";
    public static final String STATE = "state";
    public static final String TOKEN = "token";
    /** Epoch seconds: the unit DynamoDB's TTL reads. */
    public static final String EXPIRES_AT = "expiresAt";
    /** Epoch milliseconds until which an IN_FLIGHT claim blocks the key. */
    public static final String LOCKED_UNTIL = "lockedUntil";
    public static final String RESPONSE_STATUS = "responseStatus";
    public static final String RESPONSE_BODY = "responseBody";
    public static final String MESSAGE_ID = "messageId";
    public static final String CREATED_AT = "createdAt";

    static final String IN_FLIGHT = "IN_FLIGHT";
    static final String COMPLETED = "COMPLETED";

    private static final Map<String, String> NAMES = Map.of("#key", KEY, "#expiresAt", EXPIRES_AT, "#state", STATE,
            "#lockedUntil", LOCKED_UNTIL);

    private final DynamoDbClient dynamo;
    private final String tableName;

    public DynamoDbIdempotencyStore(DynamoDbClient dynamo, String tableName) {
        this.dynamo = dynamo;
        this.tableName = tableName;
    }

    @Override
    public KeyClaim claim(String key, String requestHash, Instant now) {
        String token = UUID.randomUUID().toString();
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(KEY, s(key));
        item.put(REQUEST_HASH, s(requestHash));
        item.put(STATE, s(IN_FLIGHT));
        item.put(TOKEN, s(token));
        item.put(CREATED_AT, s(now.toString()));
        item.put(EXPIRES_AT, n(now.plus(RETENTION).getEpochSecond()));
        item.put(LOCKED_UNTIL, n(now.plus(IN_FLIGHT_LEASE).toEpochMilli()));
        try {
            dynamo.putItem(b -> b.tableName(tableName)
                    .item(item)
                    .conditionExpression("attribute_not_exists(#key) OR #expiresAt < :nowSeconds"
                            + " OR (#state = :inFlight AND #lockedUntil < :nowMillis)")
                    .expressionAttributeNames(NAMES)
                    .expressionAttributeValues(Map.of(
                            ":nowSeconds", n(now.getEpochSecond()),
                            ":nowMillis", n(now.toEpochMilli()),
                            ":inFlight", s(IN_FLIGHT)))
                    // The record that holds the key comes with the refusal, read atomically with it: no GetItem
                    // after, and no window in which it is released between the two.
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return new Claimed(token);
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> existing = e.hasItem() ? e.item() : Map.of();
            if (existing.isEmpty()) {
                // A condition on a missing item cannot fail, so only an endpoint that ignores
                // ReturnValuesOnConditionCheckFailure gets here: read the record the old way.
                existing = dynamo.getItem(b -> b.tableName(tableName).key(Map.of(KEY, s(key))).consistentRead(true)).item();
            }
            if (existing == null || existing.isEmpty()) {
                return new InFlight(requestHash); // released in between: the caller retries in a second
            }
            String hash = existing.get(REQUEST_HASH).s();
            if (COMPLETED.equals(existing.get(STATE).s())) {
                return new Completed(hash, new StoredResponse(
                        Integer.parseInt(existing.get(RESPONSE_STATUS).n()),
                        existing.get(RESPONSE_BODY).s(),
                        existing.containsKey(MESSAGE_ID) ? existing.get(MESSAGE_ID).s() : null));
            }
            return new InFlight(hash);
        }
    }

    @Override
    public boolean complete(String key, String token, StoredResponse response, Instant now) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":completed", s(COMPLETED));
        values.put(":status", n(response.status()));
        values.put(":body", s(response.body()));
        values.put(":token", s(token));
        String set = "SET #state = :completed, #responseStatus = :status, #responseBody = :body";
        Map<String, String> names = new HashMap<>(Map.of("#state", STATE, "#responseStatus", RESPONSE_STATUS,
                "#responseBody", RESPONSE_BODY, "#token", TOKEN));
        if (response.messageId() != null) {
            set += ", #messageId = :messageId";
            names.put("#messageId", MESSAGE_ID);
            values.put(":messageId", s(response.messageId()));
        }
        String update = set + " REMOVE #lockedUntil";
        names.put("#lockedUntil", LOCKED_UNTIL);
        try {
            dynamo.updateItem(b -> b.tableName(tableName)
                    .key(Map.of(KEY, s(key)))
                    .updateExpression(update)
                    .conditionExpression("#token = :token")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public void release(String key, String token) {
        try {
            dynamo.deleteItem(b -> b.tableName(tableName)
                    .key(Map.of(KEY, s(key)))
                    .conditionExpression("#token = :token AND #state = :inFlight")
                    .expressionAttributeNames(Map.of("#token", TOKEN, "#state", STATE))
                    .expressionAttributeValues(Map.of(":token", s(token), ":inFlight", s(IN_FLIGHT))));
        } catch (ConditionalCheckFailedException e) {
            // Someone else holds it now (our lease ran out): theirs to keep.
        }
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
