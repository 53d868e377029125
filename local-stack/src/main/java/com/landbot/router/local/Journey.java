package com.landbot.router.local;

import java.io.PrintStream;

/**
 * The console's account of each message, one line per step and always with our message id, so that
 * {@code grep <id>} shows a message's whole way: accepted, queued, then sent, retrying or error. A step may quote
 * an error that quotes outside text, so the line is printed with its control characters escaped.
 */
public final class Journey {

    private final PrintStream out;

    public Journey(PrintStream out) {
        this.out = out;
    }

    void step(String messageId, String step) {
        // One println per line: the API's and the dispatcher's threads never interleave within a line.
        out.println(Console.line("[journey] " + messageId + " " + step));
    }
}
