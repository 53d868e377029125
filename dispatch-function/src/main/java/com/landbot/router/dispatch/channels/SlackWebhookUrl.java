package com.landbot.router.dispatch.channels;

import com.landbot.router.shared.Log;
import com.landbot.router.shared.Settings;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The Slack incoming-webhook URL, read from AWS Secrets Manager once per container and kept.
 *
 * <p>The secret is named by {@code SLACK_WEBHOOK_SECRET_NAME} and its {@code SecretString} is the URL itself.
 * For local development {@code SLACK_WEBHOOK_URL}, when set, is used as is and Secrets Manager is not called.
 * The URL never appears in an exception message or a log line: whoever has it can post to the channel.
 *
 * <p>A failed read is not cached: the delivery fails as retryable and the next one tries again. A rotated secret
 * is picked up by new containers; a webhook revoked in Slack shows as permanent {@code 404}/{@code 410} failures.
 */
public final class SlackWebhookUrl implements Supplier<String> {

    public static final String URL_VARIABLE = "SLACK_WEBHOOK_URL";
    public static final String SECRET_NAME_VARIABLE = "SLACK_WEBHOOK_SECRET_NAME";

    private final String secretName;
    private final Supplier<SecretsManagerClient> secretsManager;
    private volatile String url;

    private SlackWebhookUrl(String url, String secretName, Supplier<SecretsManagerClient> secretsManager) {
        this.url = url;
        this.secretName = secretName;
        this.secretsManager = secretsManager;
    }

    /**
     * Reads {@code SLACK_WEBHOOK_URL}, else {@code SLACK_WEBHOOK_SECRET_NAME} (one of them must be set: a missing
     * setting fails the container's start). {@code secretsManager} is called at most once, on the first
     * {@link #get()} that needs the secret, so a container that never posts to Slack never builds the client.
     */
    public static SlackWebhookUrl fromEnvironment(Map<String, String> env, Supplier<SecretsManagerClient> secretsManager) {
        Objects.requireNonNull(secretsManager, "secretsManager");
        String direct = Settings.optional(env, URL_VARIABLE, null);
        if (direct != null) {
            return new SlackWebhookUrl(direct.strip(), null, null);
        }
        if (Settings.optional(env, SECRET_NAME_VARIABLE, null) == null) {
            throw new IllegalStateException("environment variable " + SECRET_NAME_VARIABLE + " (or " + URL_VARIABLE
                    + " for local development) is not set");
        }
        return new SlackWebhookUrl(null, env.get(SECRET_NAME_VARIABLE), secretsManager);
    }

    /** The URL; the first call reads the secret. Throws {@link IllegalStateException} if it cannot be read. */
    @Override
    public String get() {
        String current = url;
        if (current == null) {
            synchronized (this) {
                current = url;
                if (current == null) {
                    current = read();
                    url = current;
                }
            }
        }
        return current;
    }

    private String read() {
        String value;
        try {
            value = secretsManager.get().getSecretValue(request -> request.secretId(secretName)).secretString();
        } catch (SdkException e) {
            Log.warn("slack.webhook_secret.unreadable", "secretName", secretName, "error", e);
            throw new IllegalStateException("cannot read secret " + secretName + ": " + Log.describe(e), e);
        }
        // Secrets written from a file often end in a newline; Slack would answer 404 no_service to that URL.
        String stripped = value == null ? "" : value.strip();
        if (!stripped.startsWith("https://") && !stripped.startsWith("http://")) {
            // Says what is wrong without quoting the value: it may still be a real URL, pasted wrongly.
            throw new IllegalStateException("secret " + secretName + " does not hold an http(s) URL as its SecretString");
        }
        Log.info("slack.webhook_secret.read", "secretName", secretName);
        return stripped;
    }

    @Override
    public String toString() {
        return secretName != null ? "SlackWebhookUrl(secret " + secretName + ")" : "SlackWebhookUrl(from " + URL_VARIABLE + ")";
    }
}
