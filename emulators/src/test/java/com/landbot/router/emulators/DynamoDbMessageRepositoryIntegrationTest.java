package com.landbot.router.emulators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.landbot.router.shared.Claim;
import com.landbot.router.shared.DynamoDbMessageRepository;
import com.landbot.router.shared.MessageRepository;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

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

    @AfterEach
    void deleteStack() {
        stack.close();
    }
}
