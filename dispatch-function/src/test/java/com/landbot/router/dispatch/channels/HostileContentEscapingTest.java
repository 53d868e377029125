package com.landbot.router.dispatch.channels;

import static com.landbot.router.emulators.Generators.concatenation;
import static com.landbot.router.emulators.Generators.replayable;
import static com.landbot.router.emulators.Generators.text;
import static com.landbot.router.emulators.Generators.values;
import static com.landbot.router.emulators.Generators.w;
import static com.landbot.router.emulators.Generators.weighted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import com.fasterxml.jackson.databind.JsonNode;
import com.landbot.router.shared.Json;
import com.landbot.router.shared.Message;
import com.landbot.router.emulators.Generators;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Generated hostile descriptions (mentions, links, scripts, HTML, header injection, control characters, emoji,
 * arbitrary Unicode, lengths around every limit) through what Slack and the email recipients actually receive:
 * nothing in them pings a channel, forges a link or adds markup, and the customer's text still arrives whole
 * (in Slack, without bidi controls).
 *
 * <p>Generated with QuickTheories. The seed is random per run and printed; replay a failure with
 * {@code -DQT_SEED=<seed>} (QuickTheories also prints "Seed was ..." under a falsified property).
 */
class HostileContentEscapingTest {

    private static final Instant RECEIVED = Instant.parse("2026-11-29T10:15:00.123Z");
    /**
     * Tries asked of QuickTheories, and the least that must run: it skips a generated value it has already tried
     * (short descriptions repeat), so it is asked for more than the floor.
     */
    private static final int TRIES = 3000;
    private static final int MIN_TRIES = 1500;
    private static final long SEED = Generators.SEED;
    private static final Pattern ENTITY_OR_AMPERSAND = Pattern.compile("&(amp;|lt;|gt;)?");
    /** Every tag NotificationEmail writes itself; a description must not add another. */
    private static final Set<String> OUR_TAGS = Set.of("<!DOCTYPE html>", "<html>", "</html>", "<body>", "</body>", "<p>", "</p>",
            "<table>", "</table>", "<tr>", "</tr>", "<th align=\"left\">", "</th>", "<td>", "</td>", "<b>", "</b>", "<br>");

    private static Message message(String topic, String description) {
        return Message.pending("6f1c2b8e-5d4a-4c3b-9a2e-1f0e9d8c7b6a", topic, "slack", description, RECEIVED);
    }

    @BeforeAll
    static void printSeed() {
        System.out.println("HostileContentEscapingTest seed " + SEED + " (replay with -DQT_SEED=" + SEED + ")");
    }

    @Test
    void slackPayloadCannotMentionLinkOrFormatAndKeepsTheTextWhole() {
        AtomicInteger tries = new AtomicInteger();
        replayable(() -> qt().withFixedSeed(SEED).withExamples(TRIES).withShrinkCycles(1000)
                .forAll(descriptions(), topics())
                .checkAssert((description, topic) -> {
                    tries.incrementAndGet();
                    slackPayloadIsSafeAndWhole(description, topic);
                }));
        report("slackPayloadCannotMentionLinkOrFormatAndKeepsTheTextWhole", tries.get());
    }

    @Test
    void emailHtmlHasOnlyOurMarkupAndTheSubjectIsOneBoundedLine() {
        AtomicInteger tries = new AtomicInteger();
        // Another seed from the one printed: the two properties see different descriptions.
        replayable(() -> qt().withFixedSeed(SEED + 1).withExamples(TRIES).withShrinkCycles(1000)
                .forAll(descriptions(), topics())
                .checkAssert((description, topic) -> {
                    tries.incrementAndGet();
                    emailIsSafeAndWhole(description, topic);
                }));
        report("emailHtmlHasOnlyOurMarkupAndTheSubjectIsOneBoundedLine", tries.get());
    }

    private static void report(String property, int tries) {
        System.out.println(property + ": " + tries + " tries (seed " + SEED + ")");
        assertTrue(tries >= MIN_TRIES, property + " ran only " + tries + " distinct tries");
    }

    private static void slackPayloadIsSafeAndWhole(String description, String topic) {
        JsonNode payload;
        try {
            payload = Json.MAPPER.readTree(SlackMessageFormat.payload(message(topic, description)));
        } catch (Exception e) {
            throw new AssertionError("the payload is not JSON", e);
        }

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
        // Whole but for bidi controls, which Slack never receives (BidiControlsTest).
        String expected = com.landbot.router.shared.Text.looksEmpty(description) ? "(no description)"
                : com.landbot.router.shared.Text.withoutBidiControls(description);
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

    private static void emailIsSafeAndWhole(String description, String topic) {
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
        assertEquals(subject, new String(subject.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8), "never half an emoji");
    }

    static Gen<String> topics() {
        return weighted(
                w(8, values("sales", "pricing")),
                w(1, values("<!channel>", "<script>", "a&b", "x".repeat(300))));
    }

    /** What a customer (or an attacker) types into a bot; valid Unicode, as ingest guarantees. */
    static Gen<String> descriptions() {
        Gen<String> fragments = values(
                "<!channel>", "<!here>", "<!everyone>", "<!subteam^S123>", "<@U024BE7LH>", "<#C024BE7LR>", "@here", "@channel",
                "<http://evil.example|click me>", "<mailto:a@b.c|mail>", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
                "\"><b>bold</b>", "</p></body>", "<!--", "&amp;", "&lt;!channel&gt;", "&#60;", "*bold* _it_ ~strike~ `code`",
                "😀", "👍🏽", "👨‍👩‍👧", "\u202e", "\u200b", "\u0000", "\u0007", "\u001b[31m", "\r\n", "\r", "\n", "\t", "\u2028", "\u0085",
                "Subject: injected\r\nBcc: all@example.com", "'", "\"", " ", "&", "<", ">");
        Gen<String> mixed = weighted(
                w(4, fragments),
                w(2, validText(Generate.range(0, 30))),
                w(2, text(Generate.range(0, 60), values("abcxyzABCXYZ0189 .,!?ñßλжあ中".codePoints().boxed().toArray(Integer[]::new)))));
        Gen<Integer> parts = Generate.range(0, 15);
        return weighted(
                w(8, concatenation(parts, mixed)),
                w(1, Generate.range(2990, 3010).map("a"::repeat)),
                w(1, Generate.range(990, 1010).map("<&>"::repeat)),
                w(1, Generate.range(1490, 1510).map("😀"::repeat)));
    }

    /** Any valid Unicode (no lone surrogates): ASCII and controls, the rest of the BMP, emoji and other astral characters. */
    static Gen<String> validText(Gen<Integer> lengths) {
        Gen<Integer> bmp = Generate.range(0, 0xFFFF - 0x800).map(c -> c < 0xD800 ? c : c + 0x800);
        return text(lengths, weighted(
                w(3, Generate.range(0, 0x7F)),
                w(3, bmp),
                w(1, Generate.range(0x1F300, 0x1FAFF)),
                w(1, Generate.range(0x10000, Character.MAX_CODE_POINT))));
    }
}
