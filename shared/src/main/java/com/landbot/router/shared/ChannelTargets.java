package com.landbot.router.shared;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The channels the system can route to and what each needs to know per topic (its target). Ingest uses this to
 * refuse a route the dispatcher could not deliver ({@code PUT /topics/{name}}); the dispatcher checks at start
 * that it has a {@link Channel} for every name here. A new channel is its {@link Channel} class in the dispatcher
 * and one {@link Rule} here.
 */
public final class ChannelTargets {

    /** SES accepts at most 50 recipients per message. */
    public static final int MAX_EMAIL_RECIPIENTS = 50;
    /** Secret names Slack routes may use; the dispatcher's IAM policy can read these and no others. */
    public static final String DEFAULT_SLACK_SECRET_PREFIX = "landbot-router/slack/";

    /** What one channel requires of a target. */
    public interface Rule {
        /** @return the target in canonical form; problems (as {@code target.<key>: ...}) are added to the list */
        Map<String, Object> check(Map<String, Object> target, List<String> problems);
    }

    private final Map<String, Rule> rules;

    private ChannelTargets(Map<String, Rule> rules) {
        this.rules = Map.copyOf(rules);
    }

    /** Slack (an incoming webhook whose URL is a Secrets Manager secret) and email (SES recipients). */
    public static ChannelTargets standard(String slackSecretPrefix) {
        Map<String, Rule> rules = new TreeMap<>();
        rules.put("slack", (target, problems) -> {
            allowOnly(target, Set.of("webhookSecretName"), problems);
            Object name = target.get("webhookSecretName");
            if (!(name instanceof String secret) || secret.isBlank()) {
                problems.add("target.webhookSecretName: is required: the name of the Secrets Manager secret holding the webhook URL");
                return target;
            }
            if (!secret.startsWith(slackSecretPrefix) || secret.length() == slackSecretPrefix.length()) {
                problems.add("target.webhookSecretName: must start with '" + slackSecretPrefix
                        + "' (the dispatcher may read only those secrets)");
            } else if (!secret.matches("[A-Za-z0-9/_+=.@-]{1,512}")) {
                problems.add("target.webhookSecretName: is not a valid secret name");
            }
            return Map.of("webhookSecretName", secret);
        });
        rules.put("email", (target, problems) -> {
            allowOnly(target, Set.of("recipients"), problems);
            Object value = target.get("recipients");
            if (!(value instanceof List<?> list) || list.isEmpty()) {
                problems.add("target.recipients: is required: a list of 1 to " + MAX_EMAIL_RECIPIENTS + " email addresses");
                return target;
            }
            List<String> addresses = new ArrayList<>();
            for (Object entry : list) {
                String address = entry instanceof String s ? s.strip() : null;
                if (address == null || !looksLikeAddress(address)) {
                    problems.add("target.recipients: '" + bounded(String.valueOf(entry)) + "' is not an email address");
                } else if (!addresses.contains(address)) {
                    addresses.add(address);
                }
            }
            if (addresses.size() > MAX_EMAIL_RECIPIENTS) {
                problems.add("target.recipients: lists " + addresses.size() + " addresses; SES accepts at most "
                        + MAX_EMAIL_RECIPIENTS + " per message");
            }
            return Map.of("recipients", List.copyOf(addresses));
        });
        return new ChannelTargets(rules);
    }

    /** These channels and one more: how a new channel's rule is added. */
    public ChannelTargets with(String channel, Rule rule) {
        Map<String, Rule> more = new TreeMap<>(rules);
        if (more.putIfAbsent(channel, rule) != null) {
            throw new IllegalArgumentException("channel " + channel + " already has a rule");
        }
        return new ChannelTargets(more);
    }

    public static ChannelTargets fromEnvironment(Map<String, String> env) {
        return standard(Settings.optional(env, "SLACK_SECRET_PREFIX", DEFAULT_SLACK_SECRET_PREFIX));
    }

    /** Known channel names, sorted. */
    public Set<String> names() {
        return new java.util.TreeSet<>(rules.keySet());
    }

    /**
     * Checks a route and returns it in canonical form (addresses trimmed and de-duplicated), or the problems found.
     */
    public Checked check(Route route) {
        List<String> problems = new ArrayList<>();
        Rule rule = rules.get(route.channel());
        if (rule == null) {
            problems.add("channel: '" + bounded(route.channel()) + "' is not a known channel; known channels are: "
                    + String.join(", ", names()));
            return new Checked(null, problems);
        }
        Map<String, Object> target = rule.check(new LinkedHashMap<>(route.target()), problems);
        return problems.isEmpty()
                ? new Checked(new Route(route.topic(), route.channel(), target, route.updatedAt()), List.of())
                : new Checked(null, List.copyOf(problems));
    }

    /** Exactly one of the two is set: the canonical route, or what is wrong with it. */
    public record Checked(Route route, List<String> problems) {
    }

    private static void allowOnly(Map<String, Object> target, Set<String> allowed, List<String> problems) {
        for (String key : target.keySet()) {
            if (!allowed.contains(key)) {
                problems.add("target." + bounded(key) + ": is not a setting of this channel; settings: " + String.join(", ", allowed));
            }
        }
    }

    /** Not RFC 5322 (SES checks that); catches a name, a stray separator or spaces. */
    static boolean looksLikeAddress(String address) {
        int at = address.indexOf('@');
        return at > 0 && at == address.lastIndexOf('@') && at < address.length() - 1 && address.length() <= 254
                && address.chars().noneMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c) || c == ',' || c == '<' || c == '>');
    }

    private static String bounded(String text) {
        String clean = text.replaceAll("\\p{Cntrl}", "?");
        return clean.length() <= 60 ? clean : clean.substring(0, 60) + "...";
    }
}
