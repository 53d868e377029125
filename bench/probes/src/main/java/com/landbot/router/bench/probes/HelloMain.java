package com.landbot.router.bench.probes;

import java.io.IOException;

/**
 * The second baseline: a bare {@code main} that prints and exits, with no runtime interface client. Against the
 * hello-world handler it shows what the client itself costs. It waits for its input to close before exiting, so
 * the bench can read its CPU time at the moment of the line, as it reads a function's at its first response.
 */
public final class HelloMain {

    public static void main(String[] args) throws IOException {
        System.out.println("hello");
        System.out.flush();
        while (System.in.read() >= 0) {
            // until the bench closes our input
        }
    }
}
