package com.landbot.router.local;

/**
 * Text from outside (a customer's description, an error Slack or SES answered) made safe for a terminal: control
 * characters are shown as {@code \u001B}-style escapes instead of reaching the terminal, which would obey them
 * (ESC starts sequences that set the window title, move the cursor or rewrite earlier lines; BEL rings), and so
 * are the bidirectional overrides and isolates that reorder what the rest of the line shows.
 */
final class Console {

    private Console() {
    }

    /** One console line: every control character escaped, line breaks included. */
    static String line(String text) {
        return escape(text, false);
    }

    /** Several lines: line breaks kept, every other control character escaped. */
    static String lines(String text) {
        return escape(text, true);
    }

    private static String escape(String text, boolean keepLineBreaks) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = c < 0x20 && c != '\t' && !(keepLineBreaks && c == '\n')
                    || c >= 0x7f && c <= 0x9f
                    || c >= '\u202a' && c <= '\u202e' || c >= '\u2066' && c <= '\u2069';
            if (control) {
                out.append(String.format("\\u%04X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
