package com.landbot.router.shared;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A Slack route's target: the Secrets Manager secret whose {@code SecretString} is the incoming-webhook URL. The
 * URL itself is a secret (whoever has it can post), so routes name it and never hold it.
 *
 * @param webhookSecretName a valid secret name; {@link #read} also requires the prefix the dispatcher may read
 */
public record SlackTarget(String webhookSecretName) implements Target {

    public static final String CHANNEL = "slack";
    /** Secret names Slack routes may use by default; the dispatcher's IAM policy can read these and no others. */
    public static final String DEFAULT_SECRET_PREFIX = "landbot-router/slack/";

    static final String WEBHOOK_SECRET_NAME = "webhookSecretName";
    /** Secrets Manager's own rule for names. */
    private static final Pattern SECRET_NAME = Pattern.compile("[A-Za-z0-9/_+=.@-]{1,512}");

    public SlackTarget {
        if (webhookSecretName == null || !SECRET_NAME.matcher(webhookSecretName).matches()) {
            throw new IllegalArgumentException("not a valid secret name: " + ChannelTargets.echo(String.valueOf(webhookSecretName)));
        }
    }

    /** The target in {@code settings}, or null with the problems (as {@code target.<key>: ...}) added to the list. */
    static SlackTarget read(Map<String, Object> settings, String secretPrefix, List<String> problems) {
        int before = problems.size();
        ChannelTargets.allowOnly(settings, Set.of(WEBHOOK_SECRET_NAME), problems);
        if (!(settings.get(WEBHOOK_SECRET_NAME) instanceof String secret) || secret.isBlank()) {
            problems.add("target." + WEBHOOK_SECRET_NAME + ": is required: the name of the Secrets Manager secret holding the webhook URL");
            return null;
        }
        if (!secret.startsWith(secretPrefix) || secret.length() == secretPrefix.length()) {
            problems.add("target." + WEBHOOK_SECRET_NAME + ": must start with '" + secretPrefix
                    + "' (the dispatcher may read only those secrets)");
        } else if (!SECRET_NAME.matcher(secret).matches()) {
            problems.add("target." + WEBHOOK_SECRET_NAME + ": is not a valid secret name");
        }
        return problems.size() == before ? new SlackTarget(secret) : null;
    }

    @Override
    public String channel() {
        return CHANNEL;
    }

    @Override
    public Map<String, Object> settings() {
        return Map.of(WEBHOOK_SECRET_NAME, webhookSecretName);
    }

    /** Slack rate-limits each incoming webhook (about one message per second): one destination per secret. */
    @Override
    public Destination destination() {
        return new Destination(CHANNEL, webhookSecretName);
    }
}
