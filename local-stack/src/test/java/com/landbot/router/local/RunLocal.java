package com.landbot.router.local;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.landbot.router.testing.ProjectPaths;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code scripts/run-local} as a user starts it, for the end-to-end tests: a child process on free ports (or the
 * ports given), with the classpath this Maven build made instead of a nested Maven build, its console echoed and
 * kept so a test can wait for lines. {@link #close()} kills whatever is left of it.
 */
final class RunLocal implements AutoCloseable {

    private final Process process;
    private final Map<String, String> ports;
    private final List<String> output = new ArrayList<>();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final Thread reader;

    private RunLocal(Process process, Map<String, String> ports) {
        this.process = process;
        this.ports = ports;
        this.reader = new Thread(this::read, "local-stack-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Every LOCAL_*_PORT on a free loopback port. */
    static Map<String, String> freePorts() throws IOException {
        Map<String, String> ports = new HashMap<>();
        for (String name : List.of("API", "INBOX", "SLACK", "SQS", "MOTO")) {
            ports.put("LOCAL_" + name + "_PORT", Integer.toString(freePort()));
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
        return new RunLocal(builder.start(), Map.copyOf(env));
    }

    Process process() {
        return process;
    }

    /** The port a LOCAL_*_PORT variable was given, e.g. {@code port("LOCAL_API_PORT")}. */
    int port(String variable) {
        return Integer.parseInt(ports.get(variable));
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

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
