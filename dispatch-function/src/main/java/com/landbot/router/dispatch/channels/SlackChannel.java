package com.landbot.router.dispatch.channels;

import com.landbot.router.shared.Channel;
import com.landbot.router.shared.DeliveryException;
import com.landbot.router.shared.DeliveryReceipt;
import com.landbot.router.shared.Lazy;
import com.landbot.router.shared.Log;
import com.landbot.router.shared.Message;
import com.landbot.router.shared.Priming;
import com.landbot.router.shared.SlackTarget;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.webhook.WebhookResponse;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Posts messages to a Slack channel through an incoming webhook.
 *
 * <p>The webhook URL is a secret (whoever has it can post to the channel), so it comes from a supplier
 * ({@link SlackWebhookUrls}) and appears in no error message and no log line. Slack gives no id for a webhook
 * post, so receipts carry none.
 *
 * <p>How Slack's answers are classified:
 * <ul>
 *   <li>{@code 200 ok}: delivered;</li>
 *   <li>{@code 429}: rate limited (back-pressure, not a failed attempt), with Slack's {@code Retry-After} (seconds);</li>
 *   <li>{@code 408}, {@code 5xx}, network errors and timeouts: retryable;</li>
 *   <li>any other {@code 4xx} ({@code 400 invalid_payload}, {@code 403 action_prohibited},
 *       {@code 404 channel_not_found}/{@code no_service}, {@code 410 channel_is_archived}, ...): permanent, someone
 *       has to fix the webhook or the channel;</li>
 *   <li>anything else (a {@code 200} whose body is not {@code ok}, a redirect): permanent, the URL does not
 *       point at a Slack webhook.</li>
 * </ul>
 */
public final class SlackChannel implements Channel<SlackTarget> {

    /** Well inside the dispatcher's 60 s function timeout, even for several messages in one batch. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    /** Slack's error bodies are one word ({@code channel_not_found}); anything else (an HTML error page) is not quoted. */
    private static final Pattern SLACK_ERROR_WORD = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    /** The incoming-webhook URL a route's secret holds: {@link SlackWebhookUrls} in the function, a fixed URL in tests. */
    @FunctionalInterface
    public interface WebhookUrls {

        /** The URL held by the named secret; throws a RuntimeException when it cannot be read. */
        String url(String secretName);

        /** SnapStart priming: warms the read path without reading a secret (none may be in the snapshot). */
        default void prime() {
        }
    }

    private final WebhookUrls webhookUrls;
    /**
     * The Slack client brings OkHttp and Kotlin: built on the first delivery, not at container start, so a
     * dispatcher that only sends email never pays for it; reused after, so connections are kept alive.
     */
    private final Lazy<Slack> slack;

    /**
     * @param webhookUrls gives the incoming-webhook URL held by a secret (the target's {@link SlackTarget#webhookSecretName()});
     *                    called on every delivery, so it should cache ({@link SlackWebhookUrls})
     * @param timeout     bounds a whole call to Slack (connect, send, wait for the answer)
     */
    public SlackChannel(WebhookUrls webhookUrls, Duration timeout) {
        this.webhookUrls = Objects.requireNonNull(webhookUrls, "webhookUrls");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        this.slack = new Lazy<>(() -> Slack.getInstance(config(timeout)));
    }

    /** One webhook for every route, whatever secret it names: tests and local sinks. */
    public SlackChannel(Supplier<String> webhookUrl, Duration timeout) {
        this(secretName -> webhookUrl.get(), timeout);
    }

    /** With {@link #DEFAULT_TIMEOUT}. */
    public SlackChannel(WebhookUrls webhookUrls) {
        this(webhookUrls, DEFAULT_TIMEOUT);
    }

    /** One webhook for every route, with {@link #DEFAULT_TIMEOUT}. */
    public SlackChannel(Supplier<String> webhookUrl) {
        this(webhookUrl, DEFAULT_TIMEOUT);
    }

    @Override
    public String name() {
        return SlackTarget.CHANNEL;
    }

    @Override
    public Class<SlackTarget> targetType() {
        return SlackTarget.class;
    }

    @Override
    public DeliveryReceipt deliver(Message message, SlackTarget target) throws DeliveryException {
        String url = webhookUrl(target.webhookSecretName());
        String payload = SlackMessageFormat.payload(message);
        WebhookResponse response;
        try {
            response = slack.get().send(url, payload);
        } catch (IOException e) {
            // The class name is enough to tell a timeout from a refused connection; OkHttp's messages name the host.
            throw new DeliveryException.Retryable("Slack unreachable: " + e.getClass().getSimpleName(), e);
        } catch (IllegalArgumentException e) {
            // OkHttp rejects a malformed URL before any I/O; its message could quote the URL, so it is dropped.
            throw new DeliveryException.Permanent("the Slack webhook URL is not a valid http(s) URL", null);
        }
        return classify(response);
    }

    private String webhookUrl(String secretName) throws DeliveryException {
        try {
            return webhookUrls.url(secretName);
        } catch (RuntimeException e) {
            // Secrets Manager throttled or unreachable, or the secret not there yet: the next attempt may read it.
            throw new DeliveryException.Retryable("Slack webhook URL unavailable: " + Log.describe(e), e);
        }
    }

    /** The secret's read rehearsed, the Slack client (OkHttp, its TLS set-up, Gson) built, a payload formatted; nothing posted. */
    @Override
    public void prime() {
        webhookUrls.prime();
        slack.get();
        SlackMessageFormat.payload(Priming.sampleMessage(SlackTarget.CHANNEL, Instant.EPOCH));
    }

    static DeliveryReceipt classify(WebhookResponse response) throws DeliveryException {
        int status = response.getCode() == null ? 0 : response.getCode();
        String word = slackWord(response.getBody());
        if (status == 200 && "ok".equals(word)) {
            return DeliveryReceipt.withoutId();
        }
        String description = "Slack answered " + status + " " + word;
        if (status == 429) {
            throw new DeliveryException.RateLimited(description, retryAfter(response.getHeaders()), null);
        }
        if (status == 408 || status >= 500 && status <= 599) {
            throw new DeliveryException.Retryable(description, null);
        }
        throw new DeliveryException.Permanent(description, null);
    }

    private static String slackWord(String body) {
        if (body == null || body.isBlank()) {
            return "(empty body)";
        }
        String trimmed = body.strip();
        return SLACK_ERROR_WORD.matcher(trimmed).matches() ? trimmed : "(unexpected body)";
    }

    /** Slack sends Retry-After in seconds; OkHttp lower-cases header names. */
    static Duration retryAfter(Map<String, List<String>> headers) {
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            if ("retry-after".equalsIgnoreCase(header.getKey()) && !header.getValue().isEmpty()) {
                try {
                    long seconds = Long.parseLong(header.getValue().get(0).strip());
                    return seconds >= 0 ? Duration.ofSeconds(seconds) : null;
                } catch (NumberFormatException e) {
                    return null; // an HTTP date or garbage: no hint rather than a wrong one
                }
            }
        }
        return null;
    }

    private static SlackConfig config(Duration timeout) {
        SlackConfig config = new SlackConfig();
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        // The call timeout bounds connect + write + read together; OkHttp's own connect default is 10 s.
        config.setHttpClientCallTimeoutMillis(millis);
        config.setHttpClientReadTimeoutMillis(millis);
        config.setHttpClientWriteTimeoutMillis(millis);
        // The default listeners log each request with its URL at debug level, and the URL is the secret.
        config.setHttpClientResponseHandlers(new ArrayList<>());
        config.setStatsEnabled(false);
        return config;
    }
}
