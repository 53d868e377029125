package com.landbot.router.dispatch;

import com.landbot.router.dispatch.channels.EmailChannel;
import com.landbot.router.dispatch.channels.SlackChannel;
import com.landbot.router.dispatch.channels.SlackWebhookUrls;
import com.landbot.router.shared.AwsClients;
import com.landbot.router.shared.CachedRoutes;
import com.landbot.router.shared.Channel;
import com.landbot.router.shared.ChannelRegistry;
import com.landbot.router.shared.ChannelTargets;
import com.landbot.router.shared.DynamoDbMessageRepository;
import com.landbot.router.shared.DynamoDbRouteStore;
import com.landbot.router.shared.Metrics;
import com.landbot.router.shared.Settings;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ses.SesClient;

/**
 * Production wiring of {@link DispatchService} from the function's environment (see template.yaml).
 * The channel registry is built here: a new channel is one class and one line in {@link #channels} (and its
 * target in {@link ChannelTargets}).
 */
public final class DispatchWiring {

    private DispatchWiring() {
    }

    public static DispatchService fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env, new AwsClients(env), Clock.systemUTC());
    }

    public static DispatchService fromEnvironment(Map<String, String> env, AwsClients clients, Clock clock) {
        return fromEnvironment(env, clients, clock, channels(env, clients));
    }

    /** With other channels than the production ones: a test's failing SES, a local sink. */
    public static DispatchService fromEnvironment(Map<String, String> env, AwsClients clients, Clock clock,
                                                  List<? extends Channel<?>> channels) {
        ChannelTargets targets = ChannelTargets.fromEnvironment(env);
        ChannelRegistry registry = ChannelRegistry.of(channels).requireAll(targets.names());
        DynamoDbClient dynamo = clients.dynamoDb();
        RetryPolicy defaults = RetryPolicy.of(Integer.parseInt(Settings.required(env, "MAX_DELIVERY_ATTEMPTS")),
                Integer.parseInt(Settings.required(env, "MAX_RECEIVE_COUNT")));
        RetryPolicy policy = new RetryPolicy(defaults.maxAttempts(), defaults.maxReceiveCount(),
                seconds(env, "CLAIM_LEASE_SECONDS", defaults.lease()),
                seconds(env, "RETRY_BASE_BACKOFF_SECONDS", defaults.baseBackoff()),
                seconds(env, "RETRY_MAX_BACKOFF_SECONDS", defaults.maxBackoff()));
        PacingRules pacing = new PacingRules(
                Duration.ofMillis(Long.parseLong(Settings.required(env, "SLACK_MIN_INTERVAL_MS"))),
                Double.parseDouble(Settings.required(env, "SES_MAX_SEND_RATE")));
        return new DispatchService(
                new DynamoDbMessageRepository(dynamo, Settings.required(env, "TABLE_NAME")),
                CachedRoutes.fromEnvironment(env, new DynamoDbRouteStore(dynamo, Settings.required(env, "TOPICS_TABLE_NAME"), targets), clock),
                registry,
                new SqsDispatchQueue(clients::sqs, Settings.required(env, "QUEUE_URL"), Settings.required(env, "DLQ_URL")),
                policy,
                new DynamoDbPacer(dynamo, Settings.required(env, "PACING_TABLE_NAME")),
                pacing,
                true,
                clock,
                duration -> Thread.sleep(duration.toMillis()),
                Metrics.standardOutput("dispatch"));
    }

    /** Every channel this dispatcher can deliver through; each topic's route says which, and to whom. */
    static List<Channel<?>> channels(Map<String, String> env, AwsClients clients) {
        return List.of(
                // Each channel builds its clients on its first message: the Slack client (OkHttp, Kotlin) and the
                // Secrets Manager client on the first Slack message, the SES client on the first email.
                new SlackChannel(SlackWebhookUrls.fromEnvironment(env,
                        () -> clients.build(SecretsManagerClient.builder(), "SECRETS_MANAGER"))),
                new EmailChannel(() -> clients.build(SesClient.builder(), "SES"), Settings.required(env, "SENDER_ADDRESS")));
    }

    private static Duration seconds(Map<String, String> env, String name, Duration fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : Duration.ofSeconds(Long.parseLong(value));
    }
}
