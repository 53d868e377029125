package com.landbot.router.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The claim when the SDK sends it again: {@link AwsClients} gives each try 3 s, and a try that DynamoDB applied but
 * whose answer came late is retried, and refused, since the first try holds the lease. The contract tests on moto
 * cover the state machine; these cover DynamoDB's answers to a retried claim, which no emulator gives on demand.
 */
class DynamoDbMessageRepositoryTest {

    private static final Instant T0 = Instant.parse("2026-11-30T09:00:00Z");
    private static final Duration LEASE = Duration.ofSeconds(120);
    private static final String ID = "6e75b2c2-e0df-4769-a7f3-193aad24a7d0";

    /** A DynamoDB client whose UpdateItem answers with {@code answer}, every request kept. */
    private static final class FakeDynamoDb implements DynamoDbClient {
        final List<UpdateItemRequest> updates = new ArrayList<>();
        private final Function<UpdateItemRequest, UpdateItemResponse> answer;

        FakeDynamoDb(Function<UpdateItemRequest, UpdateItemResponse> answer) {
            this.answer = answer;
        }

        @Override
        public UpdateItemResponse updateItem(UpdateItemRequest request) {
            updates.add(request);
            return answer.apply(request);
        }

        @Override
        public String serviceName() {
            return "dynamodb";
        }

        @Override
        public void close() {
        }
    }

    /** A queued message that has failed twice: attempts 2, the last error kept. */
    private static Map<String, AttributeValue> queuedItem() {
        Map<String, AttributeValue> item = new HashMap<>(DynamoDbMessageRepository.toItem(
                Message.pending(ID, "sales", "slack", "help", T0)));
        item.put("status", AttributeValue.fromS(MessageStatus.QUEUED.name()));
        item.put("attempts", AttributeValue.fromN("2"));
        item.put("lastError", AttributeValue.fromS("Slack answered 500"));
        return item;
    }

    /** DynamoDB's refusal of a claim with ALL_OLD: the item leased under {@code token} until {@code expires}, attempts counted. */
    private static UpdateItemResponse refusedLeasedTo(AttributeValue token, AttributeValue expires, int attempts) {
        Map<String, AttributeValue> leased = new HashMap<>(queuedItem());
        leased.put("status", AttributeValue.fromS(MessageStatus.SENDING.name()));
        leased.put("attempts", AttributeValue.fromN(Integer.toString(attempts)));
        leased.put("claimToken", token);
        leased.put("claimExpiresAt", expires);
        throw ConditionalCheckFailedException.builder().message("The conditional request failed").item(leased).build();
    }

    @Test
    void aClaimTheSdkSentAgainAfterItsFirstTryWasAppliedIsStillThisCallsClaimWithOneAttemptCounted() {
        // DynamoDB's answer to the retry: the condition fails, because the first try took the lease, with this
        // very token; ALL_OLD on failure shows the item as the first try left it.
        FakeDynamoDb dynamo = new FakeDynamoDb(request -> refusedLeasedTo(request.expressionAttributeValues().get(":token"),
                request.expressionAttributeValues().get(":until"), 3));

        Claim claim = new DynamoDbMessageRepository(dynamo, "messages").claim(ID, T0, LEASE, false);

        Claim.Claimed claimed = assertInstanceOf(Claim.Claimed.class, claim,
                "not Busy: that would count attempt 3 and never make it");
        assertEquals(3, claimed.message().attempts());
        assertEquals(3, claimed.attemptsThisRound());
        assertEquals(MessageStatus.SENDING, claimed.message().status());
        assertEquals("Slack answered 500", claimed.previousError());
        assertEquals(dynamo.updates.get(0).expressionAttributeValues().get(":token").s(), claimed.token());
    }

    @Test
    void aClaimRefusedUnderAnotherInvocationsTokenIsBusy() {
        FakeDynamoDb dynamo = new FakeDynamoDb(request -> refusedLeasedTo(AttributeValue.fromS("another-invocation"),
                AttributeValue.fromN(Long.toString(T0.plusSeconds(60).toEpochMilli())), 3));

        assertInstanceOf(Claim.Busy.class, new DynamoDbMessageRepository(dynamo, "messages").claim(ID, T0, LEASE, false));
    }
}
