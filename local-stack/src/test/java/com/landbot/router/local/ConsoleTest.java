package com.landbot.router.local;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

/** What a customer's description can do to the terminal that runs make run: nothing. */
class ConsoleTest {

    /** Sets the terminal's title, then rings the bell: what the security review reproduced. */
    private static final String TITLE_SEQUENCE = "\u001b]0;pwned\u0007";

    @Test
    void aJourneyLineCarriesNoControlCharacterOfTheTextItQuotes() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        new Journey(new PrintStream(printed, true, UTF_8)).step("m-1", "error: Slack answered 400 " + TITLE_SEQUENCE + "\nforged line");

        String line = printed.toString(UTF_8);
        assertEquals("[journey] m-1 error: Slack answered 400 \\u001B]0;pwned\\u0007\\u000Aforged line" + System.lineSeparator(), line);
    }

    @Test
    void theSinksOutputKeepsItsLinesAndEscapesEverythingElse() {
        String printed = LocalInbox.indent("# Customer needs help: sales\nHi " + TITLE_SEQUENCE + " \u202eevil\u009b2J");

        assertEquals("    # Customer needs help: sales\n    Hi \\u001B]0;pwned\\u0007 \\u202Eevil\\u009B2J", printed);
        assertFalse(printed.chars().anyMatch(c -> c < 0x20 && c != '\n'), printed);
    }

    @Test
    void ordinaryTextIsPrintedAsItIs() {
        String text = "Do you offer discounts for NGOs & schools? Ça va, 40 agents \ud83d\ude80\tthanks";
        assertEquals(text, Console.line(text));
        assertTrue(Console.lines("a\nb").contains("\n"));
    }
}
