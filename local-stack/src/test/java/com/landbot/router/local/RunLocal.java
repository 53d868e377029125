package com.landbot.router.local;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.landbot.router.testing.ProjectPaths;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code scripts/run-local} as a user starts it, for the end-to-end tests: a child process (on the ports given, or on
 * ports its servers choose as they bind with {@link #anyPorts()}, read back from its banner with {@link #printedPort}),
 * with the classpath this Maven build made instead of a nested Maven build, its console echoed and kept so a test can
 * wait for lines. {@link #close()} kills whatever is left of it.
 */
final class RunLocal implements AutoCloseable {

    private final Process process;
    private final List<String> output = new ArrayList<>();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final Thread reader;

    private RunLocal(Process process) {
        this.process = process;
        this.reader = new Thread(this::read, "local-stack-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Every LOCAL_*_PORT as 0: each server takes a free port as it binds (no window for another process to take it). */
    static Map<String, String> anyPorts() {
        Map<String, String> ports = new HashMap<>();
        for (String name : List.of("API", "INBOX", "SLACK", "SQS", "MOTO")) {
            ports.put("LOCAL_" + name + "_PORT", "0");
        }
        return ports;
    }

    /** @param env LOCAL_*_PORT values and any settings a developer could give (ROUTES_CACHE_SECONDS, ...) */
    static RunLocal start(Map<String, String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(ProjectPaths.root().resolve("scripts/run-local").toString())
                .directory(ProjectPaths.root().toFile())
                .redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        // The stack as a fresh clone runs it: the local Slack sink, the template's addresses and routes.
        List.of("SLACK_WEBHOOK_URL", "SENDER_ADDRESS", "AUTH_TOKENS", "ADMIN_TOKENS", "ROUTES_CACHE_SECONDS").forEach(environment::remove);
        environment.putAll(env);
        environment.put("LOCAL_STACK_CLASSPATH", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        return new RunLocal(builder.start());
    }

    Process process() {
        return process;
    }

    /**
     * The port of the banner line that starts with {@code label} (the servers chose their ports as they bound), e.g.
     * {@code printedPort("API (IngestFunction)")}. The banner follows the ready line by a moment: the reader adds it
     * line by line.
     */
    int printedPort(String label) throws InterruptedException {
        Pattern banner = Pattern.compile("^\\s*" + Pattern.quote(label) + "\\s+http://localhost:(\\d+)", Pattern.MULTILINE);
        Instant deadline = Instant.now().plusSeconds(10);
        Matcher line = banner.matcher(printed());
        while (!line.find() && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
            line = banner.matcher(printed());
        }
        assertTrue(line.find(0), "no '" + label + "' URL in the banner:\n" + printed());
        return Integer.parseInt(line.group(1));
    }

    void awaitReady() throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(90);
        while (!ready.await(200, TimeUnit.MILLISECONDS)) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                fail("the stack never printed '" + LocalStack.READY + "':\n" + printed());
            }
        }
    }

    /** Waits for the process's console to close (it has exited and everything it printed was read). */
    void awaitOutputClosed() throws InterruptedException {
        reader.join(5_000);
    }

    /** The dispatcher prints a message's step after it records it, so the line may follow the status by a moment. */
    void awaitPrinted(String text) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        while (!printed().contains(text) && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertPrinted(text);
    }

    void assertPrinted(String text) {
        assertTrue(printed().contains(text), "expected the console to show '" + text + "':\n" + printed());
    }

    String printed() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                System.out.println("local-stack| " + line);
                synchronized (output) {
                    output.add(line);
                }
                if (line.contains(LocalStack.READY)) {
                    ready.countDown();
                }
            }
        } catch (IOException e) {
            // the process is gone; the assertions on its output say what was missing
        }
    }
}
