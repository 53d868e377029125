package com.landbot.router.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.landbot.router.emulators.TestStack;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** scripts/redrive's command against ElasticMQ, which implements SQS message move tasks. */
@Tag("integration")
class RedriveCommandIntegrationTest {

    private TestStack stack;

    @BeforeEach
    void createStack() {
        stack = TestStack.create();
    }

    @AfterEach
    void deleteStack() {
        stack.close();
    }

    @Test
    void movesEveryDeadLetteredMessageBackToTheMessageQueue() throws Exception {
        for (String body : List.of("{\"id\":\"a\"}", "{\"id\":\"b\"}", "{\"id\":\"c\"}")) {
            stack.sqs().sendMessage(b -> b.queueUrl(stack.deadLetterQueueUrl()).messageBody(body));
        }

        int exit = RedriveCommand.run(new String[] {"--dlq", stack.deadLetterQueueUrl()}, stack.functionEnvironment());

        assertEquals(0, exit);
        assertEquals(0, stack.approximateCount(stack.deadLetterQueueUrl()));
        assertEquals(List.of("{\"id\":\"a\"}", "{\"id\":\"b\"}", "{\"id\":\"c\"}"),
                stack.receiveAll(stack.queueUrl()).stream().map(m -> m.body()).sorted().toList());
    }

    @Test
    void anEmptyDeadLetterQueueIsNothingToDo() throws Exception {
        assertEquals(0, RedriveCommand.run(new String[] {"--dlq", stack.deadLetterQueueUrl(), "--to", stack.queueUrl()},
                stack.functionEnvironment()));
        assertEquals(0, stack.approximateCount(stack.queueUrl()));
    }

    @Test
    void statusMovesNothing() throws Exception {
        stack.sqs().sendMessage(b -> b.queueUrl(stack.deadLetterQueueUrl()).messageBody("{}"));
        assertEquals(0, RedriveCommand.run(new String[] {"--dlq", stack.deadLetterQueueUrl(), "--status"}, stack.functionEnvironment()));
        assertEquals(1, stack.approximateCount(stack.deadLetterQueueUrl()));
    }

    @Test
    void usageErrorsExitWithTwo() throws Exception {
        assertEquals(2, RedriveCommand.run(new String[] {"--rate"}, stack.functionEnvironment()));
        assertEquals(2, RedriveCommand.run(new String[] {"--bogus"}, stack.functionEnvironment()));
        assertEquals(2, RedriveCommand.run(new String[] {"--rate", "fast"}, stack.functionEnvironment()));
    }
}
