package com.landbot.router.emulators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.landbot.router.shared.Claim;
import com.landbot.router.shared.DynamoDbMessageRepository;
import com.landbot.router.shared.Message;
import com.landbot.router.shared.MessageRepository;
import com.landbot.router.shared.MessageStatus;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** The messages table as template.yaml defines it (ByStatus index included), on moto. */
@Tag("integration")
class DynamoDbMessageRepositoryIntegrationTest extends MessageRepositoryContract {

    private TestStack stack;
    private CountingDynamoDb counting;

    @Override
    MessageRepository repository() {
        stack = TestStack.create();
        counting = new CountingDynamoDb(stack.dynamo());
        return new DynamoDbMessageRepository(counting.client(), stack.tableName());
    }

    /** A claim that finds the message sent or leased answers from its one conditional write (ALL_OLD on failure). */
    @Test
    void aClaimThatCannotBeTakenIsAnsweredInOneRoundTrip() {
        MessageRepository repository = repositoryUnderTest();
        String id = newId();
        queued(id);
        Claim.Claimed claim = claimed(id, T0.plusSeconds(1));
        counting.drain();

        assertInstanceOf(Claim.Busy.class, repository.claim(id, T0.plusSeconds(2), LEASE, false));
        assertEquals(List.of("updateItem"), counting.drain());

        repository.markSent(claim, T0.plusSeconds(3), null, attempt(com.landbot.router.shared.DeliveryAttempt.Outcome.SENT));
        counting.drain();
        assertInstanceOf(Claim.AlreadySent.class, repository.claim(id, T0.plusSeconds(4).plus(LEASE), LEASE, false));
        assertEquals(List.of("updateItem"), counting.drain());

        assertInstanceOf(Claim.NotFound.class, repository.claim(newId(), T0, LEASE, false));
        assertEquals(List.of("updateItem", "getItem"), counting.drain(), "an orphan, rare, is confirmed before it is dropped");
    }

    /**
     * The SDK sends a write again when its answer is late (AwsClients gives each try 3 s); here every UpdateItem goes
     * twice and the caller gets the second answer, as when the first try was applied and its answer lost.
     */
    @Test
    void aClaimTheSdkSentTwiceIsOneClaimWithOneAttemptCounted() {
        repositoryUnderTest();
        String id = newId();
        queued(id);
        MessageRepository retried = new DynamoDbMessageRepository(updatesSentTwice(stack.dynamo()), stack.tableName());

        Claim.Claimed claim = assertInstanceOf(Claim.Claimed.class, retried.claim(id, T0.plusSeconds(1), LEASE, false));

        assertEquals(1, claim.message().attempts());
        assertEquals(1, repositoryUnderTest().find(id).orElseThrow().attempts());
        assertInstanceOf(Claim.Busy.class, repositoryUnderTest().claim(id, T0.plusSeconds(2), LEASE, false),
                "and another invocation still finds it leased");
    }

    @Test
    void aMarkSentTheSdkSentTwiceIsRecordedOnceAndReportedAsRecorded() {
        repositoryUnderTest();
        String id = newId();
        queued(id);
        Claim.Claimed claim = claimed(id, T0.plusSeconds(1));
        MessageRepository retried = new DynamoDbMessageRepository(updatesSentTwice(stack.dynamo()), stack.tableName());

        assertTrue(retried.markSent(claim, T0.plusSeconds(2), "d-1", attempt(com.landbot.router.shared.DeliveryAttempt.Outcome.SENT)),
                "the retry finds its own write applied, not a lost lease");

        Message sent = repositoryUnderTest().find(id).orElseThrow();
        assertEquals(MessageStatus.SENT, sent.status());
        assertEquals(1, sent.history().size());
        assertFalse(repositoryUnderTest().markSent(claim, T0.plusSeconds(3), "d-2", attempt(com.landbot.router.shared.DeliveryAttempt.Outcome.SENT)),
                "another write with the same claim, later, is still refused");
    }

    /** Every UpdateItem goes twice and the caller gets the second answer: a first try applied, its answer lost. */
    private static DynamoDbClient updatesSentTwice(DynamoDbClient real) {
        return (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(),
                new Class<?>[] {DynamoDbClient.class}, (proxy, method, args) -> {
                    try {
                        if (method.getName().equals("updateItem") && args[0] instanceof UpdateItemRequest) {
                            real.updateItem((UpdateItemRequest) args[0]);
                        }
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @AfterEach
    void deleteStack() {
        stack.close();
    }
}
