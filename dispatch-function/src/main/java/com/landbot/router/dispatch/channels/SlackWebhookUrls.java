package com.landbot.router.dispatch.channels;

import com.landbot.router.shared.Lazy;
import com.landbot.router.shared.Log;
import com.landbot.router.shared.Priming;
import com.landbot.router.shared.Refreshing;
import com.landbot.router.shared.Settings;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Slack incoming-webhook URLs by the name of the Secrets Manager secret holding each (a topic's route names its
 * secret; the {@code SecretString} is the URL itself), each read once per {@link #TTL} per container.
 * For local development {@code SLACK_WEBHOOK_URL}, when set, is the URL of every route and Secrets Manager is not
 * called. A URL never appears in an exception message or a log line: whoever has it can post to the channel.
 *
 * <p>A secret given a new URL is picked up within the TTL; a webhook revoked in Slack shows as permanent
 * {@code 404}/{@code 410} failures. When a refresh fails, the URL read before stays in use and the read is tried
 * again after {@link #RETRY_AFTER_FAILURE} ({@link Refreshing}'s policy, as for routes and the bot's secrets); a
 * secret never read fails that delivery as retryable and the next one tries again.
 */
public final class SlackWebhookUrls implements SlackChannel.WebhookUrls {

    public static final String URL_VARIABLE = "SLACK_WEBHOOK_URL";
    /** Like the bot's credentials: a rotated webhook is in use within minutes, at one read per secret per TTL. */
    static final Duration TTL = Duration.ofMinutes(5);

    static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(10);

    private final String fixedUrl;
    private final Lazy<SecretsManagerClient> secretsManager;
    private final Clock clock;
    private final Map<String, Refreshing<String>> bySecret = new ConcurrentHashMap<>();

    SlackWebhookUrls(String fixedUrl, Supplier<SecretsManagerClient> secretsManager, Clock clock) {
        this.fixedUrl = fixedUrl;
        this.secretsManager = new Lazy<>(secretsManager);
        this.clock = clock;
    }

    /**
     * {@code SLACK_WEBHOOK_URL} when set, else secrets. {@code secretsManager} is called at most once, on the
     * first URL needed, so a container that never posts to Slack never builds the client.
     */
    public static SlackWebhookUrls fromEnvironment(Map<String, String> env, Supplier<SecretsManagerClient> secretsManager) {
        Objects.requireNonNull(secretsManager, "secretsManager");
        String direct = Settings.optional(env, URL_VARIABLE, null);
        return new SlackWebhookUrls(direct == null ? null : direct.strip(), secretsManager, Clock.systemUTC());
    }

    /**
     * The URL held by the named secret. Throws {@link IllegalStateException} if it cannot be read or is not a URL.
     */
    @Override
    public String url(String secretName) {
        if (fixedUrl != null) {
            return fixedUrl;
        }
        return bySecret.computeIfAbsent(secretName, name -> new Refreshing<>("slack webhook secret " + name,
                () -> read(name), clock, TTL, RETRY_AFTER_FAILURE)).get();
    }

    private String read(String secretName) {
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

    /** Builds the Secrets Manager client and rehearses a read (signed, not sent): no secret goes into the snapshot. */
    @Override
    public void prime() {
        if (fixedUrl == null) {
            Priming.rehearse(() -> secretsManager.get().getSecretValue(request -> request.secretId(PRIMING_SECRET)));
        }
    }

    /** A name under the template's default prefix that no route uses; never sent. */
    static final String PRIMING_SECRET = "landbot-router/slack/priming";

    @Override
    public String toString() {
        return fixedUrl != null ? "SlackWebhookUrls(from " + URL_VARIABLE + ")" : "SlackWebhookUrls(secrets " + bySecret.keySet() + ")";
    }
}
