package com.landbot.router.shared;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The channels routes may name, each with how its {@link Target} is read and checked: ingest refuses a route the
 * dispatcher could not deliver ({@code PUT /topics/{name}}), both functions read the topics table through it, and
 * the dispatcher checks at start that it has a {@link Channel} for every name here. A new channel is one entry in
 * {@link #standard} (and its target record, its {@link Channel}, its IAM statement).
 */
public final class ChannelTargets {

    /** Reads one channel's target from its settings; problems (as {@code target.<key>: ...}) go to the list. */
    @FunctionalInterface
    private interface Reader {
        Target read(Map<String, Object> settings, List<String> problems);
    }

    private final Map<String, Reader> readers;

    private ChannelTargets(Map<String, Reader> readers) {
        this.readers = Map.copyOf(readers);
    }

    /**
     * Slack (an incoming webhook whose URL is a Secrets Manager secret under {@code slackSecretPrefix}) and email
     * (SES recipients).
     */
    public static ChannelTargets standard(String slackSecretPrefix) {
        Map<String, Reader> readers = new TreeMap<>();
        readers.put(SlackTarget.CHANNEL, (settings, problems) -> SlackTarget.read(settings, slackSecretPrefix, problems));
        readers.put(EmailTarget.CHANNEL, EmailTarget::read);
        return new ChannelTargets(readers);
    }

    public static ChannelTargets fromEnvironment(Map<String, String> env) {
        return standard(Settings.optional(env, "SLACK_SECRET_PREFIX", SlackTarget.DEFAULT_SECRET_PREFIX));
    }

    /** Known channel names, sorted. */
    public Set<String> names() {
        return new TreeSet<>(readers.keySet());
    }

    /**
     * The target a route names, checked and in canonical form (addresses trimmed and de-duplicated), or an
     * {@link InvalidTarget} holding the settings as given and what is wrong with them.
     */
    public Target read(String channel, Map<String, Object> settings) {
        List<String> problems = new ArrayList<>();
        Reader reader = readers.get(channel);
        if (reader == null) {
            problems.add("channel: '" + echo(channel) + "' is not a known channel; known channels are: "
                    + String.join(", ", names()));
            return new InvalidTarget(channel, settings, problems);
        }
        Target target = reader.read(settings, problems);
        return problems.isEmpty() && target != null ? target : new InvalidTarget(channel, settings, problems);
    }

    /** Adds a problem for each setting the channel does not have. */
    static void allowOnly(Map<String, Object> settings, Set<String> allowed, List<String> problems) {
        for (String key : settings.keySet()) {
            if (!allowed.contains(key)) {
                problems.add("target." + echo(key) + ": is not a setting of this channel; settings: " + String.join(", ", new TreeSet<>(allowed)));
            }
        }
    }

    /** Caller-supplied text as an error may repeat it: control characters replaced, at most 60 characters. */
    static String echo(String text) {
        String clean = text.replaceAll("\\p{Cntrl}", "?");
        return clean.length() <= 60 ? clean : clean.substring(0, 60) + "...";
    }
}
