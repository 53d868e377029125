package com.landbot.router.ingest;

import com.landbot.router.shared.AwsClients;
import com.landbot.router.shared.DynamoDbMessageRepository;
import com.landbot.router.shared.RoutingTable;
import com.landbot.router.shared.Settings;
import com.landbot.router.shared.SqsMessageQueue;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;

/** Production wiring of {@link IngestService} from the function's environment (see template.yaml). */
public final class IngestWiring {

    private IngestWiring() {
    }

    public static IngestService fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env, new AwsClients(env));
    }

    public static IngestService fromEnvironment(Map<String, String> env, AwsClients clients) {
        RoutingTable routing = RoutingTable.fromEnvironment(env);
        return new IngestService(
                new RequestValidator(routing),
                new DynamoDbMessageRepository(clients.dynamoDb(), Settings.required(env, "TABLE_NAME")),
                new SqsMessageQueue(clients.sqs(), Settings.required(env, "QUEUE_URL")),
                Clock.systemUTC(),
                () -> UUID.randomUUID().toString());
    }
}
