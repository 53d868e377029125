package com.landbot.router.shared;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An email route's target: the addresses SES sends each message to, 1 to {@link #MAX_RECIPIENTS}, distinct.
 *
 * @param recipients addresses in the form SES takes them (see {@link #check(String)})
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
            Address checked = check(address);
            if (checked.problem() != null) {
                throw new IllegalArgumentException("'" + ChannelTargets.echo(address) + "' " + checked.problem());
            }
            if (!checked.address().equals(address)) {
                throw new IllegalArgumentException("'" + ChannelTargets.echo(address) + "' is not in the form SES takes: " + checked.address());
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
            Address address = entry instanceof String s ? check(s.strip()) : refused("is not an email address");
            if (address.problem() != null) {
                problems.add("target." + RECIPIENTS + ": '" + ChannelTargets.echo(String.valueOf(entry).strip()) + "' " + address.problem());
            } else if (!addresses.contains(address.address())) {
                addresses.add(address.address());
            }
        }
        if (addresses.size() > MAX_RECIPIENTS) {
            problems.add("target." + RECIPIENTS + ": lists " + addresses.size() + " addresses; SES accepts at most "
                    + MAX_RECIPIENTS + " per message");
        }
        return problems.size() == before ? new EmailTarget(addresses) : null;
    }

    /** An address in the form SES takes it, or why SES would refuse it: exactly one of the two is set. */
    record Address(String address, String problem) {
    }

    /** What RFC 5322 allows unquoted before the @ (atext), besides letters and digits; dots between them. */
    private static final String ATEXT_SYMBOLS = "!#$%&'*+-/=?^_`{|}~";
    private static final java.util.regex.Pattern LABEL = java.util.regex.Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

    /**
     * The address as SES takes it, by the rules SES documents for its {@code Destination}: SES does not support
     * SMTPUTF8 (RFC 6531), so the address must be 7-bit ASCII; a domain in Unicode must be encoded in Punycode (done
     * here, as {@code user@xn--exmple-cua.com}), and the local part cannot be encoded at all. Within ASCII, the RFC
     * 5321/5322 shape SES checks: an unquoted local part of at most 64 characters, a host name with a dot, at most
     * 254 characters in all. Quoted local parts and address literals are refused: no route needs them.
     */
    static Address check(String raw) {
        int at = raw.indexOf('@');
        if (at <= 0 || at != raw.lastIndexOf('@') || at == raw.length() - 1) {
            return refused("is not an email address (one @, text on each side)");
        }
        String local = raw.substring(0, at);
        String domain = raw.substring(at + 1);
        for (int i = 0; i < local.length(); ) {
            int c = local.codePointAt(i);
            if (c > 0x7e || c < 0x21) {
                return refused("has " + String.format("U+%04X", c) + " before the @; SES takes only ASCII there (no SMTPUTF8)");
            }
            if (!Character.isLetterOrDigit(c) && c != '.' && ATEXT_SYMBOLS.indexOf(c) < 0) {
                return refused("has '" + (char) c + "' before the @; allowed: letters, digits and " + ATEXT_SYMBOLS + ".");
            }
            i += Character.charCount(c);
        }
        if (local.length() > 64) {
            return refused("has more than 64 characters before the @");
        }
        if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
            return refused("has an empty part between dots before the @");
        }
        if (domain.startsWith("[")) {
            return refused("needs a domain name, not an address literal");
        }
        String ascii;
        try {
            ascii = java.net.IDN.toASCII(domain, java.net.IDN.USE_STD3_ASCII_RULES);
        } catch (IllegalArgumentException e) {
            return refused("has a domain that is not a valid host name");
        }
        String[] labels = ascii.split("\\.", -1);
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return refused("has a domain that is not a valid host name");
            }
        }
        if (labels.length < 2) {
            return refused("needs a domain with a dot, like example.com");
        }
        String address = local + "@" + ascii;
        if (address.length() > 254) {
            return refused("is longer than the 254 characters an address may have");
        }
        return new Address(address, null);
    }

    private static Address refused(String problem) {
        return new Address(null, problem);
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
