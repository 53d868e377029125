package com.landbot.router.ingest.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.landbot.router.shared.Json;
import com.landbot.router.shared.Lazy;
import com.landbot.router.shared.Log;
import com.landbot.router.shared.Refreshing;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The webhook secrets from AWS Secrets Manager, kept for a short time so that a rotation reaches every warm
 * container within {@link #DEFAULT_TTL} without a redeploy, while a busy container reads the secret about once
 * per TTL rather than once per request.
 *
 * <p>The {@code SecretString} is JSON, {@code {"current": "...", "previous": "..."}} ({@code previous} optional:
 * set during a rotation, removed after), or a bare secret. Secret values never reach a log line or an exception
 * message.
 *
 * <p>When a refresh fails and secrets were read before, those stay in use and the read is tried again after
 * {@link #RETRY_AFTER_FAILURE} ({@link Refreshing}'s policy): a Secrets Manager outage should not lock the bot
 * out. With nothing read yet, the request fails as {@link CredentialsUnavailableException} (503).
 */
public final class SecretsManagerCredentials implements CredentialsSource {

    public static final Duration DEFAULT_TTL = Duration.ofMinutes(5);
    static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(10);

    private final String secretName;
    private final Refreshing<List<String>> secrets;

    /**
     * @param client called at most once, on the first read: a container built for a request that never gets
     *               this far (a 404 route) never builds the SDK client
     */
    public SecretsManagerCredentials(String secretName, Supplier<SecretsManagerClient> client, Clock clock, Duration ttl) {
        this.secretName = secretName;
        Lazy<SecretsManagerClient> secretsManager = new Lazy<>(client);
        this.secrets = new Refreshing<>("secret " + secretName, () -> {
            List<String> read = parse(secretsManager.get().getSecretValue(request -> request.secretId(secretName)).secretString());
            Log.info("auth.secret.read", "secretName", secretName, "secrets", read.size());
            return read;
        }, clock, ttl, RETRY_AFTER_FAILURE);
    }

    @Override
    public List<String> validSecrets() {
        try {
            return secrets.get();
        } catch (SdkException | IllegalStateException e) {
            Log.error("auth.secret.unreadable", "secretName", secretName, "cause", e.getClass().getSimpleName());
            throw new CredentialsUnavailableException("cannot read the webhook secret " + secretName, e);
        }
    }

    /** JSON {current, previous} or a bare secret. Messages say what is wrong without quoting the value. */
    static List<String> parse(String secretString) {
        String value = secretString == null ? "" : secretString.strip();
        if (value.isEmpty()) {
            throw new IllegalStateException("the webhook secret is empty");
        }
        if (!value.startsWith("{")) {
            return List.of(value);
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the webhook secret starts with '{' but is not valid JSON");
        }
        List<String> secrets = new ArrayList<>(2);
        for (String field : new String[] {"current", "previous"}) {
            JsonNode node = root.path(field);
            if (node.isTextual() && !node.textValue().isBlank()) {
                secrets.add(node.textValue().strip());
            }
        }
        if (secrets.isEmpty() || !root.path("current").isTextual()) {
            throw new IllegalStateException("the webhook secret's JSON has no non-empty \"current\" string");
        }
        return List.copyOf(secrets);
    }

    @Override
    public String toString() {
        return "SecretsManagerCredentials(" + secretName + ")";
    }
}
