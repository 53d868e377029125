package com.landbot.router.dispatch.channels;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.landbot.router.shared.Json;
import com.landbot.router.shared.Message;
import com.landbot.router.shared.Text;
import java.time.format.DateTimeFormatter;

/**
 * How a message looks in Slack: an incoming-webhook payload with Block Kit blocks (a header with the topic, a
 * section with the customer's text, a context line with our message id and when it was received) and a plain
 * {@code text} that Slack shows in notifications and where blocks cannot be rendered.
 *
 * <p>The customer's text is untrusted. Slack's mrkdwn gives {@code <...>} a meaning ({@code <!channel>} pings
 * everyone, {@code <http://x|y>} shows a link whose target is hidden), so {@code &}, {@code <} and {@code >} are
 * escaped as Slack documents, and the text objects are {@code verbatim} so Slack does not turn bare
 * {@code @here} or URLs into mentions and links either.
 */
final class SlackMessageFormat {

    /** Block Kit limits: a section's text is at most 3,000 characters, a header's 150. */
    static final int SECTION_TEXT_LIMIT = 3000;
    static final int HEADER_TEXT_LIMIT = 150;
    /** Notifications show a line or two; the full text is in the section. */
    static final int FALLBACK_TEXT_LIMIT = 300;

    static final String TRUNCATION_MARKER = "… (truncated)";

    private SlackMessageFormat() {
    }

    /** The webhook payload for a message, as JSON. */
    static String payload(Message message) {
        // Without bidi controls, which could reorder the lines Slack shows around the customer's text.
        String description = Text.looksEmpty(message.description()) ? "(no description)" : Text.withoutBidiControls(message.description());
        String topic = message.topic();
        String receivedAt = DateTimeFormatter.ISO_INSTANT.format(message.createdAt());

        ObjectNode payload = Json.MAPPER.createObjectNode();
        payload.put("text", escapeAndTruncate("Customer needs help (" + topic + "): " + description, FALLBACK_TEXT_LIMIT));
        ArrayNode blocks = payload.putArray("blocks");

        ObjectNode header = blocks.addObject().put("type", "header");
        // plain_text is never parsed for mentions or links, so the header needs truncating but not escaping.
        header.putObject("text")
                .put("type", "plain_text")
                .put("text", truncate("Customer needs help: " + topic, HEADER_TEXT_LIMIT));

        ObjectNode section = blocks.addObject().put("type", "section");
        mrkdwn(section.putObject("text"), escapeAndTruncate(description, SECTION_TEXT_LIMIT));

        ObjectNode context = blocks.addObject().put("type", "context");
        mrkdwn(context.putArray("elements").addObject(),
                escapeAndTruncate("Topic: " + topic + " · Message id: " + message.id() + " · Received: " + receivedAt,
                        SECTION_TEXT_LIMIT));
        return Json.write(payload);
    }

    private static void mrkdwn(ObjectNode textObject, String text) {
        textObject.put("type", "mrkdwn").put("text", text).put("verbatim", true);
    }

    /**
     * Escapes {@code text} for mrkdwn and cuts it so the escaped result, marker included, fits {@code limit}
     * characters. Cutting after escaping could split an entity ({@code &am}); counting while escaping cannot.
     */
    static String escapeAndTruncate(String text, int limit) {
        String escaped = escape(text);
        if (escaped.length() <= limit) {
            return escaped;
        }
        int budget = limit - TRUNCATION_MARKER.length();
        StringBuilder out = new StringBuilder(limit);
        int i = 0;
        while (i < text.length()) {
            int codePoint = text.codePointAt(i);
            String piece = escape(Character.toString(codePoint));
            if (out.length() + piece.length() > budget) {
                break;
            }
            out.append(piece);
            i += Character.charCount(codePoint);
        }
        return out.append(TRUNCATION_MARKER).toString();
    }

    /** Cuts plain text to {@code limit} characters, marker included, without splitting a surrogate pair. */
    static String truncate(String text, int limit) {
        if (text.length() <= limit) {
            return text;
        }
        int end = limit - TRUNCATION_MARKER.length();
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + TRUNCATION_MARKER;
    }

    /** Slack's mrkdwn escaping: only these three characters have to be replaced. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
