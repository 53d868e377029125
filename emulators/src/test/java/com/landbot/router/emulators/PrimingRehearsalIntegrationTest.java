package com.landbot.router.emulators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.landbot.router.shared.AwsClients;
import com.landbot.router.shared.DynamoDbMessageRepository;
import com.landbot.router.shared.Message;
import com.landbot.router.shared.Priming;
import com.landbot.router.shared.QueuedMessage;
import com.landbot.router.shared.SqsMessageQueue;
import java.net.URI;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/** SnapStart priming's rehearsed writes run the real clients against the emulators and leave nothing behind. */
class PrimingRehearsalIntegrationTest {

    @Test
    void rehearsedWritesAndEnqueuesStoreAndQueueNothing() throws Exception {
        try (TestStack stack = TestStack.create()) {
            AwsClients clients = Emulators.get().clients();
            DynamoDbMessageRepository repository = new DynamoDbMessageRepository(clients.dynamoDb(), stack.tableName());
            SqsMessageQueue queue = new SqsMessageQueue(clients.sqs(), stack.queueUrl());

            repository.rehearseWrites();
            queue.rehearseEnqueue();

            assertFalse(repository.find(Priming.SAMPLE_ID).isPresent());
            assertEquals(0, stack.items().size());
            assertEquals(0, stack.approximateCount(stack.queueUrl()));
            // The same clients still send what is not rehearsed.
            repository.create(Message.pending("11111111-1111-4111-8111-111111111111", "sales", "slack", "x", Instant.now()));
            assertEquals(1, stack.items().size());
        }
    }

    @Test
    void aRehearsalOnAClientWithoutTheStopIsReportedNotSilentlySent() throws Exception {
        try (TestStack stack = TestStack.create();
             SqsClient plain = SqsClient.builder().region(Region.of(clientsRegion()))
                     .credentialsProvider(AnonymousCredentialsProvider.create())
                     .httpClientBuilder(UrlConnectionHttpClient.builder())
                     .endpointOverride(URI.create(stack.queueUrl()).resolve("/")).build()) {
            SqsMessageQueue queue = new SqsMessageQueue(plain, stack.queueUrl());
            assertThrows(IllegalStateException.class, () -> Priming.rehearse(() -> queue.enqueue(new QueuedMessage(Priming.SAMPLE_ID, "sales", "slack"))));
        }
    }

    private static String clientsRegion() {
        return Emulators.get().clients().region().id();
    }
}
