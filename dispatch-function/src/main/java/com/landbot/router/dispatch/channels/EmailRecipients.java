package com.landbot.router.dispatch.channels;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Who receives email for each topic, from {@code RECIPIENTS_<TOPIC>} variables: comma-separated addresses,
 * e.g. {@code RECIPIENTS_PRICING=a@example.com,b@example.com}. The topic is upper-cased and a hyphen becomes an
 * underscore ({@code post-sales} reads {@code RECIPIENTS_POST_SALES}), because Lambda only accepts
 * letters, digits and underscores in variable names.
 */
public final class EmailRecipients {

    static final String PREFIX = "RECIPIENTS_";

    /** SES refuses a message with more than 50 recipients; better to find out at deployment than per message. */
    static final int SES_MAX_RECIPIENTS = 50;

    private final Map<String, List<String>> byVariable;

    private EmailRecipients(Map<String, List<String>> byVariable) {
        this.byVariable = Map.copyOf(byVariable);
    }

    /**
     * @throws IllegalStateException when a list names something that is not an address or more than SES accepts:
     *                               the container should not start with a list that can never be delivered to
     */
    public static EmailRecipients fromEnvironment(Map<String, String> env) {
        Map<String, List<String>> byVariable = new TreeMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith(PREFIX) && value != null && !value.isBlank()) {
                byVariable.put(name, parse(name, value));
            }
        });
        return new EmailRecipients(byVariable);
    }

    /** The variable a topic's recipients are read from: {@code pricing} -> {@code RECIPIENTS_PRICING}. */
    public static String variableFor(String topic) {
        return PREFIX + topic.strip().toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** The addresses for a topic, in the order configured; empty when none are configured. */
    public List<String> forTopic(String topic) {
        return byVariable.getOrDefault(variableFor(topic), List.of());
    }

    /**
     * Fails the container's start when a topic routed to email has nobody to send to: a missing variable should
     * stop a deployment, not turn every message on that topic into an ERROR.
     *
     * @param topics the topics the routing table sends to the email channel
     * @throws IllegalStateException naming every topic without recipients and the variable to set
     */
    public EmailRecipients require(Collection<String> topics) {
        Collection<String> missing = new TreeSet<>();
        for (String topic : topics) {
            if (forTopic(topic).isEmpty()) {
                missing.add(topic + " (" + variableFor(topic) + ")");
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("topics routed to email have no recipients: " + String.join(", ", missing));
        }
        return this;
    }

    private static List<String> parse(String variable, String value) {
        List<String> addresses = new ArrayList<>();
        for (String entry : value.split(",")) {
            String address = entry.strip();
            if (address.isEmpty()) {
                continue;
            }
            // Not a full RFC 5322 check (SES does that); this catches a name or a stray separator in the setting.
            if (address.indexOf('@') <= 0 || address.indexOf('@') == address.length() - 1 || address.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalStateException(variable + ": '" + address + "' is not an email address");
            }
            if (!addresses.contains(address)) {
                addresses.add(address);
            }
        }
        if (addresses.size() > SES_MAX_RECIPIENTS) {
            throw new IllegalStateException(variable + " lists " + addresses.size() + " addresses; SES accepts at most " + SES_MAX_RECIPIENTS + " per message");
        }
        return List.copyOf(addresses);
    }

    @Override
    public String toString() {
        return byVariable.toString();
    }
}
