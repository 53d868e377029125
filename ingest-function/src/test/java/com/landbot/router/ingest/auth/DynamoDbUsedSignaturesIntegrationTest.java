package com.landbot.router.ingest.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.landbot.router.ingest.idempotency.DynamoDbIdempotencyStore;
import com.landbot.router.emulators.TestStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The contract against DynamoDB (moto), in the idempotency table as template.yaml defines it. */
@Tag("integration")
class DynamoDbUsedSignaturesIntegrationTest extends UsedSignaturesContract {

    private TestStack stack;

    @BeforeEach
    void createStack() {
        stack = TestStack.create();
    }

    @AfterEach
    void deleteStack() {
        stack.close();
    }

    @Override
    UsedSignatures usedSignatures() {
        return new DynamoDbUsedSignatures(stack.dynamo(), stack.functionEnvironment().get("IDEMPOTENCY_TABLE_NAME"));
    }

    @Test
    void aUseIsAnItemWithItsWindowAsTtlUnderAKeyNoIdempotencyKeyCanBe() {
        usedSignatures().firstUse(SIGNATURE, T, T.plusSeconds(301));
        var item = stack.idempotencyItems().get(0);
        assertEquals("signature " + SIGNATURE, item.get(DynamoDbIdempotencyStore.KEY).s());
        assertEquals(Long.toString(T.plusSeconds(301).getEpochSecond()), item.get(DynamoDbIdempotencyStore.EXPIRES_AT).n());
        assertEquals(false, com.landbot.router.ingest.idempotency.IdempotencyKey.isValid(item.get(DynamoDbIdempotencyStore.KEY).s()));
    }
}
