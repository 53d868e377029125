package com.landbot.router.dispatch.channels;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EmailRecipientsTest {

    @Test
    void recipientsAreReadPerTopicTrimmedInOrderWithoutBlanksOrRepeats() {
        EmailRecipients recipients = EmailRecipients.fromEnvironment(Map.of(
                "RECIPIENTS_PRICING", " a@x.com ,b@x.com,, a@x.com ,",
                "RECIPIENTS_SALES", "sales@x.com"));

        assertEquals(List.of("a@x.com", "b@x.com"), recipients.forTopic("pricing"));
        assertEquals(List.of("sales@x.com"), recipients.forTopic("sales"));
    }

    @Test
    void topicIsMatchedInAnyCaseAndAHyphenReadsAnUnderscoreVariable() {
        EmailRecipients recipients = EmailRecipients.fromEnvironment(Map.of("RECIPIENTS_POST_SALES", "support@x.com"));

        assertEquals(List.of("support@x.com"), recipients.forTopic("post-sales"));
        assertEquals(List.of("support@x.com"), recipients.forTopic(" Post-Sales "));
        assertEquals("RECIPIENTS_POST_SALES", EmailRecipients.variableFor("post-sales"));
    }

    @Test
    void topicWithoutAVariableOrWithABlankOneHasNoRecipients() {
        EmailRecipients recipients = EmailRecipients.fromEnvironment(Map.of("RECIPIENTS_PRICING", "  ", "OTHER", "a@x.com"));

        assertEquals(List.of(), recipients.forTopic("pricing"));
        assertEquals(List.of(), recipients.forTopic("other"));
    }

    @Test
    void requireListsEveryEmailTopicWithoutRecipientsAndTheVariableToSet() {
        EmailRecipients recipients = EmailRecipients.fromEnvironment(Map.of("RECIPIENTS_PRICING", "a@x.com"));

        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> recipients.require(List.of("pricing", "support", "billing")));

        assertEquals("topics routed to email have no recipients: billing (RECIPIENTS_BILLING), support (RECIPIENTS_SUPPORT)",
                failure.getMessage());
    }

    @Test
    void requirePassesWhenEveryEmailTopicHasRecipients() {
        EmailRecipients recipients = EmailRecipients.fromEnvironment(Map.of("RECIPIENTS_PRICING", "a@x.com"));

        assertDoesNotThrow(() -> recipients.require(List.of("pricing")));
        assertDoesNotThrow(() -> recipients.require(List.of()));
    }

    @Test
    void somethingThatIsNotAnAddressFailsAtStartNamingTheVariable() {
        for (String bad : List.of("Pricing Team", "@x.com", "a@", "a b@x.com")) {
            IllegalStateException failure = assertThrows(IllegalStateException.class,
                    () -> EmailRecipients.fromEnvironment(Map.of("RECIPIENTS_PRICING", "ok@x.com," + bad)), bad);

            assertEquals("RECIPIENTS_PRICING: '" + bad + "' is not an email address", failure.getMessage());
        }
    }

    @Test
    void moreRecipientsThanSesAcceptsInOneMessageFailsAtStart() {
        String fiftyOne = IntStream.rangeClosed(1, 51).mapToObj(i -> "p" + i + "@x.com").collect(Collectors.joining(","));

        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> EmailRecipients.fromEnvironment(Map.of("RECIPIENTS_PRICING", fiftyOne)));

        assertEquals("RECIPIENTS_PRICING lists 51 addresses; SES accepts at most 50 per message", failure.getMessage());
    }
}
