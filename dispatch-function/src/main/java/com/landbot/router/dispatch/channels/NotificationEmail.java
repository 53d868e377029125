package com.landbot.router.dispatch.channels;

import com.landbot.router.shared.Message;
import com.landbot.router.shared.Text;
import java.time.format.DateTimeFormatter;

/**
 * The email a team receives for one message: a one-line subject and the same facts as text and as HTML.
 * The customer's description is untrusted text; it reaches the subject only as a flattened, bounded excerpt
 * without bidi controls, and the HTML part only escaped.
 */
record NotificationEmail(String subject, String text, String html) {

    static final String SUBJECT_PREFIX = "[landbot] ";

    /** Long enough to recognise a request in an inbox list, short enough that no client folds the header. */
    static final int EXCERPT_CODE_POINTS = 60;

    /** Bound on the whole subject, whatever the topic's length (RFC 5322 recommends lines under 78 characters). */
    static final int SUBJECT_CODE_POINTS = 100;

    static final String ELLIPSIS = "\u2026";

    static NotificationEmail compose(Message message) {
        String description = normaliseNewlines(message.description());
        String received = DateTimeFormatter.ISO_INSTANT.format(message.createdAt());
        String subject = truncate(singleLine(SUBJECT_PREFIX + message.topic() + ": "
                + truncate(singleLine(Text.withoutBidiControls(description)), EXCERPT_CODE_POINTS)), SUBJECT_CODE_POINTS);
        String text = """
                A customer needs help.

                Topic: %s
                Message id: %s
                Received: %s

                Description:
                %s
                """.formatted(message.topic(), message.id(), received, description);
        String html = """
                <!DOCTYPE html>
                <html><body>
                <p>A customer needs help.</p>
                <table>
                <tr><th align="left">Topic</th><td>%s</td></tr>
                <tr><th align="left">Message id</th><td>%s</td></tr>
                <tr><th align="left">Received</th><td>%s</td></tr>
                </table>
                <p><b>Description:</b></p>
                <p>%s</p>
                </body></html>
                """.formatted(escape(message.topic()), escape(message.id()), escape(received), escape(description).replace("\n", "<br>\n"));
        return new NotificationEmail(subject, text, html);
    }

    /**
     * Every run of whitespace and control characters becomes one space: a CR or LF in a subject would let the
     * customer's text start new mail headers, and the Unicode line separators break subjects in some clients.
     */
    static String singleLine(String value) {
        StringBuilder line = new StringBuilder(value.length());
        boolean pendingSpace = false;
        for (int i = 0; i < value.length(); ) {
            int codePoint = value.codePointAt(i);
            i += Character.charCount(codePoint);
            // isWhitespace covers CR, LF, tab and U+2028/2029; isISOControl adds NEL (U+0085); isSpaceChar adds no-break spaces
            if (Character.isWhitespace(codePoint) || Character.isISOControl(codePoint) || Character.isSpaceChar(codePoint)) {
                pendingSpace = line.length() > 0;
                continue;
            }
            if (pendingSpace) {
                line.append(' ');
                pendingSpace = false;
            }
            line.appendCodePoint(codePoint);
        }
        return line.toString();
    }

    /** Cuts at a code point boundary, so a surrogate pair (an emoji) is never split into invalid UTF-16. */
    static String truncate(String value, int maxCodePoints) {
        if (value.codePointCount(0, value.length()) <= maxCodePoints) {
            return value;
        }
        int end = value.offsetByCodePoints(0, maxCodePoints - 1);
        return value.substring(0, end).stripTrailing() + ELLIPSIS;
    }

    static String escape(String value) {
        StringBuilder escaped = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    private static String normaliseNewlines(String value) {
        return value.replace("\r\n", "\n").replace('\r', '\n');
    }
}
