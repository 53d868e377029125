package com.landbot.router.ingest;

import com.landbot.router.ingest.auth.AccessPolicy;
import com.landbot.router.ingest.auth.Authenticator;
import com.landbot.router.ingest.auth.DynamoDbUsedSignatures;
import com.landbot.router.ingest.auth.CredentialsSource;
import com.landbot.router.ingest.auth.SecretsManagerCredentials;
import com.landbot.router.ingest.auth.StaticCredentials;
import com.landbot.router.ingest.idempotency.DynamoDbIdempotencyStore;
import com.landbot.router.shared.AwsClients;
import com.landbot.router.shared.CachedRoutes;
import com.landbot.router.shared.ChannelTargets;
import com.landbot.router.shared.DynamoDbMessageRepository;
import com.landbot.router.shared.DynamoDbRouteStore;
import com.landbot.router.shared.Metrics;
import com.landbot.router.shared.RouteStore;
import com.landbot.router.shared.Settings;
import com.landbot.router.shared.SqsMessageQueue;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** Production wiring of the services and the {@link AccessPolicy} from the function's environment (see template.yaml). */
public final class IngestWiring {

    /** Local development and tests: comma-separated secrets; when set, Secrets Manager is not read. */
    public static final String AUTH_TOKENS = "AUTH_TOKENS";
    /** Deployed: the Secrets Manager secret holding {"current": "...", "previous": "..."}. */
    public static final String AUTH_SECRET_NAME = "AUTH_SECRET_NAME";
    public static final String IDEMPOTENCY_TABLE_NAME = "IDEMPOTENCY_TABLE_NAME";
    /** Local development and tests: the operators' secrets for the admin routes. */
    public static final String ADMIN_TOKENS = "ADMIN_TOKENS";
    /** Deployed: the Secrets Manager secret of the admin routes, same shape as the bot's. */
    public static final String ADMIN_AUTH_SECRET_NAME = "ADMIN_AUTH_SECRET_NAME";
    public static final String TOPICS_TABLE_NAME = "TOPICS_TABLE_NAME";

    /** Everything the handler needs. */
    public record Wired(IngestService service, TopicService topics, RetryService retries, AccessPolicy access) {
    }

    private IngestWiring() {
    }

    public static IngestService fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env, new AwsClients(env));
    }

    public static IngestService fromEnvironment(Map<String, String> env, AwsClients clients) {
        return wire(env, clients).service();
    }

    /** One DynamoDB client and one routes cache, shared by the message and topic services. */
    public static Wired wire(Map<String, String> env, AwsClients clients) {
        var dynamo = clients.dynamoDb();
        var messages = new DynamoDbMessageRepository(dynamo, Settings.required(env, "TABLE_NAME"));
        var queue = new SqsMessageQueue(clients.sqs(), Settings.required(env, "QUEUE_URL"));
        var metrics = Metrics.standardOutput("ingest");
        ChannelTargets targets = ChannelTargets.fromEnvironment(env);
        String idempotencyTable = Settings.required(env, IDEMPOTENCY_TABLE_NAME);
        RouteStore store = new DynamoDbRouteStore(dynamo, Settings.required(env, TOPICS_TABLE_NAME), targets);
        CachedRoutes routes = CachedRoutes.fromEnvironment(env, store, Clock.systemUTC());
        IngestService service = new IngestService(
                new RequestValidator(routes),
                messages,
                queue,
                Clock.systemUTC(),
                () -> UUID.randomUUID().toString(),
                new DynamoDbIdempotencyStore(dynamo, idempotencyTable),
                metrics);
        TopicService topics = new TopicService(store, targets, routes, Clock.systemUTC());
        RetryService retries = new RetryService(messages, queue, Clock.systemUTC(), metrics);
        AccessPolicy access = new AccessPolicy(authenticator(env, clients), adminAuthenticator(env, clients),
                new DynamoDbUsedSignatures(dynamo, idempotencyTable), Clock.systemUTC());
        return new Wired(service, topics, retries, access);
    }

    /** {@code ADMIN_TOKENS} when set, else the secret named by {@code ADMIN_AUTH_SECRET_NAME}, else none (null). */
    static Authenticator adminAuthenticator(Map<String, String> env, AwsClients clients) {
        return credentials(env, clients, ADMIN_TOKENS, ADMIN_AUTH_SECRET_NAME)
                .map(credentials -> new Authenticator(credentials, Clock.systemUTC()))
                .orElse(null);
    }

    /** {@code AUTH_TOKENS} when set, else the secret named by {@code AUTH_SECRET_NAME}; neither fails the container's start. */
    public static Authenticator authenticator(Map<String, String> env, AwsClients clients) {
        return new Authenticator(credentials(env, clients, AUTH_TOKENS, AUTH_SECRET_NAME)
                .orElseThrow(() -> new IllegalStateException("environment variable " + AUTH_SECRET_NAME + " (or "
                        + AUTH_TOKENS + " for local development) is not set")), Clock.systemUTC());
    }

    /** Tokens from the local variable when set, else the secret the other one names, else none. */
    private static Optional<CredentialsSource> credentials(Map<String, String> env, AwsClients clients,
                                                           String tokensVariable, String secretNameVariable) {
        String tokens = Settings.optional(env, tokensVariable, null);
        if (tokens != null) {
            return Optional.of(StaticCredentials.parse(tokens));
        }
        return Optional.ofNullable(Settings.optional(env, secretNameVariable, null))
                .map(secretName -> new SecretsManagerCredentials(secretName,
                        () -> clients.build(SecretsManagerClient.builder(), "SECRETS_MANAGER"),
                        Clock.systemUTC(), SecretsManagerCredentials.DEFAULT_TTL));
    }
}
