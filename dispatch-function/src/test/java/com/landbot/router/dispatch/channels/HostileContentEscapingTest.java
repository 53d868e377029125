package com.landbot.router.dispatch.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.landbot.router.shared.Json;
import com.landbot.router.shared.Message;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Generated hostile descriptions (mentions, links, scripts, HTML, header injection, control characters, emoji,
 * arbitrary Unicode, lengths around every limit) through what Slack and the email recipients actually receive:
 * nothing in them pings a channel, forges a link or adds markup, and the customer's text still arrives whole.
 */
class HostileContentEscapingTest {

    private static final Instant RECEIVED = Instant.parse("2026-11-29T10:15:00.123Z");
    private static final Pattern ENTITY_OR_AMPERSAND = Pattern.compile("&(amp;|lt;|gt;)?");
    /** Every tag NotificationEmail writes itself; a description must not add another. */
    private static final Set<String> OUR_TAGS = Set.of("<!DOCTYPE html>", "<html>", "</html>", "<body>", "</body>", "<p>", "</p>",
            "<table>", "</table>", "<tr>", "</tr>", "<th align=\"left\">", "</th>", "<td>", "</td>", "<b>", "</b>", "<br>");

    private static Message message(String topic, String description) {
        return Message.pending("6f1c2b8e-5d4a-4c3b-9a2e-1f0e9d8c7b6a", topic, "slack", description, RECEIVED);
    }

    @Property(tries = 1500)
    void slackPayloadCannotMentionLinkOrFormatAndKeepsTheTextWhole(@ForAll("descriptions") String description,
                                                                    @ForAll("topics") String topic) throws Exception {
        JsonNode payload = Json.MAPPER.readTree(SlackMessageFormat.payload(message(topic, description)));

        List<JsonNode> mrkdwn = new ArrayList<>();
        payload.findParents("type").forEach(node -> {
            if ("mrkdwn".equals(node.path("type").asText())) {
                mrkdwn.add(node);
            }
        });
        assertEquals(2, mrkdwn.size(), payload.toString());
        for (JsonNode text : mrkdwn) {
            assertTrue(text.path("verbatim").asBoolean(), "verbatim: Slack does not turn bare @here or URLs into mentions or links");
            assertSlackSafe(text.path("text").asText());
        }
        assertSlackSafe(payload.path("text").asText());
        JsonNode header = payload.path("blocks").get(0).path("text");
        assertEquals("plain_text", header.path("type").asText(), "a header is never parsed for mentions");
        assertTrue(header.path("text").asText().length() <= SlackMessageFormat.HEADER_TEXT_LIMIT);

        String section = payload.path("blocks").get(1).path("text").path("text").asText();
        assertTrue(section.length() <= SlackMessageFormat.SECTION_TEXT_LIMIT);
        String shown = unescapeSlack(section);
        String expected = description.isBlank() ? "(no description)" : description;
        if (shown.endsWith(SlackMessageFormat.TRUNCATION_MARKER) && !expected.endsWith(SlackMessageFormat.TRUNCATION_MARKER)) {
            String kept = shown.substring(0, shown.length() - SlackMessageFormat.TRUNCATION_MARKER.length());
            assertTrue(expected.startsWith(kept), "a truncated section is a prefix of the description");
            assertTrue(SlackMessageFormat.escape(expected).length() > SlackMessageFormat.SECTION_TEXT_LIMIT);
        } else {
            assertEquals(expected, shown, "the customer's text arrives whole");
        }
    }

    private static void assertSlackSafe(String mrkdwn) {
        assertFalse(mrkdwn.contains("<") || mrkdwn.contains(">"), "no <...> control sequence can survive: " + mrkdwn);
        Matcher ampersands = ENTITY_OR_AMPERSAND.matcher(mrkdwn);
        while (ampersands.find()) {
            assertTrue(ampersands.group(1) != null, "every & is an entity we wrote: " + mrkdwn);
        }
    }

    private static String unescapeSlack(String text) {
        return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    @Property(tries = 1500)
    void emailHtmlHasOnlyOurMarkupAndTheSubjectIsOneBoundedLine(@ForAll("descriptions") String description,
                                                                 @ForAll("topics") String topic) {
        NotificationEmail email = NotificationEmail.compose(message(topic, description));

        Matcher tags = Pattern.compile("<[^>]*>").matcher(email.html());
        while (tags.find()) {
            assertTrue(OUR_TAGS.contains(tags.group()), "a tag the description added: " + tags.group());
        }
        String outsideTags = email.html().replaceAll("<[^>]*>", "");
        assertFalse(outsideTags.contains("<") || outsideTags.contains(">"), "no half-open tag either");
        String normalised = description.replace("\r\n", "\n").replace('\r', '\n');
        String shown = outsideTags.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&");
        assertTrue(shown.contains(normalised), "the customer's text arrives whole in the HTML part");
        assertTrue(email.text().contains(normalised), "and in the text part");

        String subject = email.subject();
        assertTrue(subject.startsWith(NotificationEmail.SUBJECT_PREFIX));
        assertTrue(subject.codePoints().noneMatch(c -> c == '\r' || c == '\n' || Character.isISOControl(c) || c == 0x2028 || c == 0x2029),
                "one line, no control characters: " + subject);
        assertTrue(subject.codePointCount(0, subject.length()) <= NotificationEmail.SUBJECT_CODE_POINTS);
        assertEquals(subject, new String(subject.getBytes(java.nio.charset.StandardCharsets.UTF_8), java.nio.charset.StandardCharsets.UTF_8),
                "never half an emoji");
    }

    @Provide
    Arbitrary<String> topics() {
        return Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.of("sales", "pricing")),
                Tuple.of(1, Arbitraries.of("<!channel>", "<script>", "a&b", "x".repeat(300))));
    }

    /** What a customer (or an attacker) types into a bot; valid Unicode, as ingest guarantees. */
    @Provide
    Arbitrary<String> descriptions() {
        Arbitrary<String> fragments = Arbitraries.of(
                "<!channel>", "<!here>", "<!everyone>", "<!subteam^S123>", "<@U024BE7LH>", "<#C024BE7LR>", "@here", "@channel",
                "<http://evil.example|click me>", "<mailto:a@b.c|mail>", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
                "\"><b>bold</b>", "</p></body>", "<!--", "&amp;", "&lt;!channel&gt;", "&#60;", "*bold* _it_ ~strike~ `code`",
                "😀", "👍🏽", "👨‍👩‍👧", "\u202e", "\u200b", "\u0000", "\u0007", "\u001b[31m", "\r\n", "\r", "\n", "\t", "\u2028", "\u0085",
                "Subject: injected\r\nBcc: all@example.com", "'", "\"", " ", "&", "<", ">");
        Arbitrary<String> mixed = Arbitraries.frequencyOf(
                Tuple.of(4, fragments),
                Tuple.of(2, Arbitraries.strings().all().ofMaxLength(30).filter(s -> s.equals(new String(
                        s.getBytes(java.nio.charset.StandardCharsets.UTF_8), java.nio.charset.StandardCharsets.UTF_8)))),
                Tuple.of(2, Arbitraries.strings().alpha().numeric().withChars(" .,!?").ofMaxLength(60)));
        return Arbitraries.frequencyOf(
                Tuple.of(8, mixed.list().ofMaxSize(15).map(parts -> String.join("", parts))),
                Tuple.of(1, Arbitraries.integers().between(2990, 3010).map("a"::repeat)),
                Tuple.of(1, Arbitraries.integers().between(990, 1010).map("<&>"::repeat)),
                Tuple.of(1, Arbitraries.integers().between(1490, 1510).map("😀"::repeat)));
    }
}
