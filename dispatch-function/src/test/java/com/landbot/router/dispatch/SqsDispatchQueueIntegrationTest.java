package com.landbot.router.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.landbot.router.emulators.Emulators;
import com.landbot.router.emulators.TestStack;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

/** SqsDispatchQueue on ElasticMQ: its client is built on first need, and priming sends nothing. */
@Tag("integration")
class SqsDispatchQueueIntegrationTest {

    @Test
    void theClientIsBuiltOnTheFirstCallNotAtStartAndPrimingSendsNothing() throws Exception {
        try (TestStack stack = TestStack.create()) {
            AtomicInteger built = new AtomicInteger();
            Supplier<SqsClient> client = () -> {
                built.incrementAndGet();
                return Emulators.get().clients().sqs();
            };
            SqsDispatchQueue queue = new SqsDispatchQueue(client, stack.queueUrl(), stack.deadLetterQueueUrl());
            assertEquals(0, built.get(), "a dispatcher whose deliveries succeed never needs SQS");

            // A rehearsed visibility change for a receipt handle SQS would refuse: sent, it would throw.
            queue.prime();
            assertEquals(1, built.get());

            queue.deadLetter("{\"id\":\"m-1\"}");
            assertEquals(1, stack.approximateCount(stack.deadLetterQueueUrl()));
            assertEquals(1, built.get(), "one client for the container's life");
        }
    }
}
