package com.landbot.router.ingest;

import com.landbot.router.ingest.auth.Authenticator;
import com.landbot.router.ingest.auth.CredentialsSource;
import com.landbot.router.ingest.auth.SecretsManagerCredentials;
import com.landbot.router.ingest.auth.StaticCredentials;
import com.landbot.router.ingest.idempotency.DynamoDbIdempotencyStore;
import com.landbot.router.shared.AwsClients;
import com.landbot.router.shared.DynamoDbMessageRepository;
import com.landbot.router.shared.RoutingTable;
import com.landbot.router.shared.Settings;
import com.landbot.router.shared.SqsMessageQueue;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** Production wiring of {@link IngestService} and {@link Authenticator} from the function's environment (see template.yaml). */
public final class IngestWiring {

    /** Local development and tests: comma-separated secrets; when set, Secrets Manager is not read. */
    public static final String AUTH_TOKENS = "AUTH_TOKENS";
    /** Deployed: the Secrets Manager secret holding {"current": "...", "previous": "..."}. */
    public static final String AUTH_SECRET_NAME = "AUTH_SECRET_NAME";
    public static final String IDEMPOTENCY_TABLE_NAME = "IDEMPOTENCY_TABLE_NAME";

    private IngestWiring() {
    }

    public static IngestService fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env, new AwsClients(env));
    }

    public static IngestService fromEnvironment(Map<String, String> env, AwsClients clients) {
        RoutingTable routing = RoutingTable.fromEnvironment(env);
        var dynamo = clients.dynamoDb();
        return new IngestService(
                new RequestValidator(routing),
                new DynamoDbMessageRepository(dynamo, Settings.required(env, "TABLE_NAME")),
                new SqsMessageQueue(clients.sqs(), Settings.required(env, "QUEUE_URL")),
                Clock.systemUTC(),
                () -> UUID.randomUUID().toString(),
                new DynamoDbIdempotencyStore(dynamo, Settings.required(env, IDEMPOTENCY_TABLE_NAME)));
    }

    /** {@code AUTH_TOKENS} when set, else the secret named by {@code AUTH_SECRET_NAME}; neither fails the container's start. */
    public static Authenticator authenticator(Map<String, String> env, AwsClients clients) {
        return new Authenticator(credentials(env, clients), Clock.systemUTC());
    }

    static CredentialsSource credentials(Map<String, String> env, AwsClients clients) {
        String tokens = Settings.optional(env, AUTH_TOKENS, null);
        if (tokens != null) {
            return StaticCredentials.parse(tokens);
        }
        if (Settings.optional(env, AUTH_SECRET_NAME, null) == null) {
            throw new IllegalStateException("environment variable " + AUTH_SECRET_NAME + " (or " + AUTH_TOKENS
                    + " for local development) is not set");
        }
        return new SecretsManagerCredentials(env.get(AUTH_SECRET_NAME),
                () -> clients.build(SecretsManagerClient.builder(), "SECRETS_MANAGER"),
                Clock.systemUTC(), SecretsManagerCredentials.DEFAULT_TTL);
    }
}
