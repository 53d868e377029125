package com.landbot.router.shared;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An email route's target: the addresses SES sends each message to, 1 to {@link #MAX_RECIPIENTS}, distinct.
 *
 * @param recipients addresses as SES accepts them (see {@link #problem(String)})
 */
public record EmailTarget(List<String> recipients) implements Target {

    public static final String CHANNEL = "email";
    /** SES accepts at most 50 recipients per message. */
    public static final int MAX_RECIPIENTS = 50;

    static final String RECIPIENTS = "recipients";

    public EmailTarget {
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty() || recipients.size() > MAX_RECIPIENTS || Set.copyOf(recipients).size() != recipients.size()) {
            throw new IllegalArgumentException("1 to " + MAX_RECIPIENTS + " distinct recipients, not " + recipients.size());
        }
        for (String address : recipients) {
            String problem = problem(address);
            if (problem != null) {
                throw new IllegalArgumentException("'" + ChannelTargets.echo(address) + "' " + problem);
            }
        }
    }

    /**
     * The target in {@code settings} (addresses trimmed, duplicates dropped), or null with the problems (as
     * {@code target.<key>: ...}) added to the list.
     */
    static EmailTarget read(Map<String, Object> settings, List<String> problems) {
        int before = problems.size();
        ChannelTargets.allowOnly(settings, Set.of(RECIPIENTS), problems);
        if (!(settings.get(RECIPIENTS) instanceof List<?> list) || list.isEmpty()) {
            problems.add("target." + RECIPIENTS + ": is required: a list of 1 to " + MAX_RECIPIENTS + " email addresses");
            return null;
        }
        List<String> addresses = new ArrayList<>();
        for (Object entry : list) {
            String address = entry instanceof String s ? s.strip() : null;
            String problem = address == null ? "is not an email address" : problem(address);
            if (problem != null) {
                problems.add("target." + RECIPIENTS + ": '" + ChannelTargets.echo(String.valueOf(entry)) + "' " + problem);
            } else if (!addresses.contains(address)) {
                addresses.add(address);
            }
        }
        if (addresses.size() > MAX_RECIPIENTS) {
            problems.add("target." + RECIPIENTS + ": lists " + addresses.size() + " addresses; SES accepts at most "
                    + MAX_RECIPIENTS + " per message");
        }
        return problems.size() == before ? new EmailTarget(addresses) : null;
    }

    /**
     * Why SES would refuse this address, or null. Not RFC 5322 (SES checks that); catches a name, a stray
     * separator or spaces.
     */
    static String problem(String address) {
        int at = address.indexOf('@');
        boolean plausible = at > 0 && at == address.lastIndexOf('@') && at < address.length() - 1 && address.length() <= 254
                && address.chars().noneMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c) || c == ',' || c == '<' || c == '>');
        return plausible ? null : "is not an email address";
    }

    @Override
    public String channel() {
        return CHANNEL;
    }

    @Override
    public Map<String, Object> settings() {
        return Map.of(RECIPIENTS, recipients);
    }

    /** SES limits the sending rate of the account, whatever the recipients: every email route shares one. */
    @Override
    public Destination destination() {
        return new Destination(CHANNEL, "ses");
    }
}
