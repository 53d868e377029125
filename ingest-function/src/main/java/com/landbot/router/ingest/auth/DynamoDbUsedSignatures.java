package com.landbot.router.ingest.auth;

import com.landbot.router.ingest.idempotency.DynamoDbIdempotencyStore;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * {@link UsedSignatures} in the {@code IdempotencyTable} of template.yaml, which already remembers requests for a
 * while with a TTL on {@code expiresAt}. A signature's item key is {@value #KEY_PREFIX} and the hex: the space
 * keeps it apart from every {@code Idempotency-Key}, which may not contain one ({@code IdempotencyKey}).
 * DynamoDB deletes expired items lazily (up to days late), so the condition treats an item past
 * {@code expiresAt} as absent.
 */
public final class DynamoDbUsedSignatures implements UsedSignatures {

    static final String KEY_PREFIX = "signature ";

    private final DynamoDbClient dynamo;
    private final String tableName;

    public DynamoDbUsedSignatures(DynamoDbClient dynamo, String tableName) {
        this.dynamo = dynamo;
        this.tableName = tableName;
    }

    @Override
    public boolean firstUse(String signature, Instant now, Instant forgetAfter) {
        try {
            dynamo.putItem(b -> b.tableName(tableName)
                    .item(Map.of(
                            DynamoDbIdempotencyStore.KEY, AttributeValue.fromS(KEY_PREFIX + signature),
                            DynamoDbIdempotencyStore.EXPIRES_AT, AttributeValue.fromN(Long.toString(forgetAfter.getEpochSecond()))))
                    // Used before, and still within its window: a replay.
                    .conditionExpression("attribute_not_exists(#key) OR #expiresAt < :now")
                    .expressionAttributeNames(Map.of("#key", DynamoDbIdempotencyStore.KEY, "#expiresAt", DynamoDbIdempotencyStore.EXPIRES_AT))
                    .expressionAttributeValues(Map.of(":now", AttributeValue.fromN(Long.toString(now.getEpochSecond())))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public void forget(String signature) {
        dynamo.deleteItem(b -> b.tableName(tableName)
                .key(Map.of(DynamoDbIdempotencyStore.KEY, AttributeValue.fromS(KEY_PREFIX + signature))));
    }
}
