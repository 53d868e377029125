package com.landbot.router.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.landbot.router.shared.Destination;
import com.landbot.router.emulators.TestStack;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The pacing table on moto, created from template.yaml, keeps the pacer contract across two dispatchers' pacers. */
@Tag("integration")
class DynamoDbPacerIntegrationTest extends PacerContract {

    private TestStack stack;

    @BeforeEach
    void setUp() {
        stack = TestStack.create();
    }

    @AfterEach
    void tearDown() {
        stack.close();
    }

    @Override
    Pacer pacer() {
        return new DynamoDbPacer(stack.dynamo(), stack.pacingTableName());
    }

    /** Another container: its own object, its own guesses, the same table. */
    @Override
    Pacer another() {
        return new DynamoDbPacer(stack.dynamo(), stack.pacingTableName());
    }

    @Test
    void theRowNamesTheDestinationAndExpiresADayAfterItsLastSlot() {
        pacer().book(new Destination("slack", "landbot-router/slack/sales"), SECOND, t0);

        List<Map<String, AttributeValue>> rows = stack.dynamo().scan(b -> b.tableName(stack.pacingTableName())).items();
        assertEquals(1, rows.size());
        assertEquals("slack:landbot-router/slack/sales", rows.get(0).get("destination").s());
        assertEquals(t0.plusSeconds(1).toEpochMilli(), Long.parseLong(rows.get(0).get("nextFreeAt").n()));
        assertEquals(t0.plusSeconds(1).plusSeconds(86_400).getEpochSecond(), Long.parseLong(rows.get(0).get("expiresAt").n()), 1);
    }
}
