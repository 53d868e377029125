package com.landbot.router.emulators;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What template.yaml gives the functions (the Globals' and each function's {@code Environment}), pointed at
 * resources created from it: the one builder of the functions' environment for the tests ({@link TestStack}), the
 * local stack, the bench and the soak. Region, endpoints and keys come first; the resources' names follow.
 */
public final class FunctionEnvironment {

    /**
     * The bot's webhook secret in local development and tests ({@code AUTH_TOKENS}); the events/ fixtures and the
     * README's curl lines send {@code Authorization: Bearer local-dev-token}. Never a deployed value: deployments
     * read Secrets Manager.
     */
    public static final String LOCAL_DEV_TOKEN = "local-dev-token";
    /** The admin routes' secret in local development and tests ({@code ADMIN_TOKENS}). */
    public static final String LOCAL_ADMIN_TOKEN = "local-admin-token";
    /**
     * The settings a developer may give the functions of {@code make run} from the shell; everything else in their
     * environment is the stack's own (so a developer's AWS credentials or endpoints never reach them).
     */
    public static final List<String> SETTINGS = List.of("SENDER_ADDRESS", "AUTH_TOKENS", "ADMIN_TOKENS",
            "ROUTES_CACHE_SECONDS", "RETRY_BASE_BACKOFF_SECONDS", "RETRY_MAX_BACKOFF_SECONDS", "CLAIM_LEASE_SECONDS",
            "SLACK_MIN_INTERVAL_MS", "SES_MAX_SEND_RATE", "MAX_DELIVERY_ATTEMPTS");

    private final Map<String, String> variables;

    private FunctionEnvironment(Map<String, String> variables) {
        this.variables = variables;
    }

    /** The AWS part of a function's environment ({@code aws}) plus the resources' names, tokens and limits. */
    public static FunctionEnvironment of(Map<String, String> aws, TemplateResources resources) {
        Map<String, String> env = new HashMap<>(aws);
        env.put("TABLE_NAME", resources.tableName());
        env.put("QUEUE_URL", resources.queueUrl());
        env.put("DLQ_URL", resources.deadLetterQueueUrl());
        env.put("IDEMPOTENCY_TABLE_NAME", resources.idempotencyTableName());
        env.put("TOPICS_TABLE_NAME", resources.topicsTableName());
        env.put("PACING_TABLE_NAME", resources.pacingTableName());
        env.put("MAX_RECEIVE_COUNT", Integer.toString(TemplateDefinitions.maxReceiveCount()));
        env.putAll(TemplateDefinitions.dispatchPacingSettings());
        env.put("SENDER_ADDRESS", TemplateDefinitions.parameterDefault("SenderAddress"));
        env.put("AUTH_TOKENS", LOCAL_DEV_TOKEN);
        env.put("ADMIN_TOKENS", LOCAL_ADMIN_TOKEN);
        return new FunctionEnvironment(env);
    }

    /**
     * Region, keys and endpoints that point the SDK at local emulators: moto for DynamoDB, SES and Secrets Manager,
     * ElasticMQ for SQS. The emulators accept any keys; fixed ones keep a developer's real credentials out.
     */
    public static Map<String, String> emulators(String region, URI moto, URI sqs) {
        Map<String, String> aws = new HashMap<>();
        aws.put("AWS_REGION", region);
        aws.put("AWS_ACCESS_KEY_ID", "local");
        aws.put("AWS_SECRET_ACCESS_KEY", "local");
        for (String service : List.of("DYNAMODB", "SES", "SECRETS_MANAGER")) {
            aws.put("AWS_ENDPOINT_URL_" + service, moto.toString());
        }
        aws.put("AWS_ENDPOINT_URL_SQS", sqs.toString());
        return aws;
    }

    /** Slack through this incoming webhook for every route (instead of the route's Secrets Manager secret). */
    public FunctionEnvironment slackWebhook(String url) {
        return with("SLACK_WEBHOOK_URL", url);
    }

    public FunctionEnvironment sender(String address) {
        return with("SENDER_ADDRESS", address);
    }

    public FunctionEnvironment with(String name, String value) {
        variables.put(name, value);
        return this;
    }

    /** The {@link #SETTINGS} that {@code shell} sets, as a developer gives them to {@code make run}. */
    public FunctionEnvironment settingsFrom(Map<String, String> shell) {
        shell.forEach((name, value) -> {
            if (SETTINGS.contains(name)) {
                variables.put(name, value);
            }
        });
        return this;
    }

    /** A copy to read or change: what a function started now would find. */
    public Map<String, String> toMap() {
        return new HashMap<>(variables);
    }
}
