package com.landbot.router.dispatch.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.landbot.router.shared.Message;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Text that reorders is neutralised (issue 16, item 6): a description with bidi embeddings, overrides or isolates
 * (U+202A-U+202E, U+2066-U+2069) reaches neither an email subject nor Slack with them, so it cannot make
 * "exe.txt" read as "txt.exe" or hide which part of a line is the customer's.
 */
class BidiControlsTest {

    private static final String BIDI_CONTROLS = "\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069";

    private static Message message(String description) {
        return Message.pending("6f1c2b8e-5d4a-4c3b-9a2e-1f0e9d8c7b6a", "sales", "slack", description,
                Instant.parse("2026-11-29T10:15:00Z"));
    }

    private static boolean hasBidiControl(String text) {
        return text.chars().anyMatch(c -> BIDI_CONTROLS.indexOf(c) >= 0);
    }

    @Test
    void anEmailSubjectCarriesNoBidiControl() {
        NotificationEmail email = NotificationEmail.compose(message("Refund for invoice \u202Efdp.exe\u202C please" + BIDI_CONTROLS));

        assertFalse(hasBidiControl(email.subject()), email.subject());
        assertEquals("[landbot] sales: Refund for invoice fdp.exe please", email.subject());
    }

    @Test
    void slackTextCarriesNoBidiControl() {
        String payload = SlackMessageFormat.payload(message("Refund for invoice \u202Efdp.exe\u202C please" + BIDI_CONTROLS));

        assertFalse(hasBidiControl(payload), payload);
        assertTrue(payload.contains("Refund for invoice fdp.exe please"), payload);
    }

    @Test
    void rightToLeftTextWithoutControlsIsLeftAsItIs() {
        String hebrew = "\u05E9\u05DC\u05D5\u05DD \u200Fabc";
        assertTrue(NotificationEmail.compose(message(hebrew)).subject().endsWith(hebrew));
        assertTrue(SlackMessageFormat.payload(message(hebrew)).contains(hebrew));
    }
}
