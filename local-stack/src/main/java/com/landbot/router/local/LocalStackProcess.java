package com.landbot.router.local;

import com.landbot.router.emulators.FunctionEnvironment;
import com.landbot.router.emulators.ProjectPaths;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code scripts/run-local} as a user starts it, as a child process: the one launcher of the local stack for the
 * end-to-end test and the bench. Every server binds a port of its own choosing (the {@code LOCAL_*_PORT}
 * variables are 0), read back from the banner, so no other process can take a port between choice and use. The
 * developer settings of the calling shell are removed, so the stack runs as a fresh clone runs it, and the
 * classpath is the one the caller's build made, so no nested Maven build runs.
 */
public final class LocalStackProcess implements AutoCloseable {

    private final Process process;
    private final PrintStream echo;
    private final List<String> output = new ArrayList<>();
    private final Thread reader;

    private LocalStackProcess(Process process, PrintStream echo) {
        this.process = process;
        this.echo = echo;
        this.reader = new Thread(this::read, "local-stack-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts the stack; {@code settings} go to its environment after the free ports (a port given here wins).
     *
     * @param classpath the local-stack module's runtime classpath
     * @param echo      where each console line is copied as it arrives (with a prefix), or null
     */
    public static LocalStackProcess start(Map<String, String> settings, String classpath, PrintStream echo) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(ProjectPaths.root().resolve("scripts/run-local").toString())
                .directory(ProjectPaths.root().toFile())
                .redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.remove("SLACK_WEBHOOK_URL");
        FunctionEnvironment.SETTINGS.forEach(env::remove);
        for (String port : List.of(LocalPorts.API, LocalPorts.INBOX, LocalPorts.SLACK, LocalPorts.SQS, LocalPorts.MOTO)) {
            env.put(port, "0");
        }
        env.putAll(new HashMap<>(settings));
        env.put("LOCAL_STACK_CLASSPATH", classpath);
        return new LocalStackProcess(builder.start(), echo);
    }

    /** Waits for the banner; fails with what the stack printed if it exits or takes longer than {@code limit}. */
    public LocalStackProcess awaitReady(Duration limit) throws InterruptedException {
        awaitPrinted("Ctrl-C stops everything.", limit);
        return this;
    }

    /** The API's base URL, as the banner tells it. */
    public URI api() {
        return URI.create("http://127.0.0.1:" + printedPort("API (IngestFunction)"));
    }

    /** The inbox's base URL ({@code /slack}, {@code /emails}), as the banner tells it. */
    public URI inbox() {
        return URI.create("http://127.0.0.1:" + printedPort("Inbox"));
    }

    private int printedPort(String label) {
        Matcher line = Pattern.compile("^\\s*" + Pattern.quote(label) + "\\s+http://localhost:(\\d+)", Pattern.MULTILINE)
                .matcher(printed());
        if (!line.find()) {
            throw new IllegalStateException("no '" + label + "' URL in the banner:\n" + printed());
        }
        return Integer.parseInt(line.group(1));
    }

    /** Everything the stack printed so far, one line each. */
    public String printed() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    /** Waits until the console shows {@code text}; fails with the console if it does not within {@code limit}. */
    public void awaitPrinted(String text, Duration limit) throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (!printed().contains(text)) {
            if (Instant.now().isAfter(deadline) || !process.isAlive() && !reader.isAlive()) {
                throw new AssertionError("the local stack did not print '" + text + "' within " + limit.toSeconds()
                        + " s:\n" + printed());
            }
            Thread.sleep(50);
        }
    }

    public Process process() {
        return process;
    }

    /** CPU time so far of the stack's JVM (API, IngestHandler, ElasticMQ, dispatcher): scripts/run-local execs java. */
    public Duration jvmCpu() {
        return process.info().totalCpuDuration().orElseThrow();
    }

    /** CPU time so far of the moto process the stack started. */
    public Duration motoCpu() {
        return process.descendants()
                .filter(p -> p.info().commandLine().map(c -> c.contains("moto")).orElse(false))
                .map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO))
                .reduce(Duration.ZERO, Duration::plus);
    }

    /**
     * SIGTERM, as Ctrl-C: the stack's shutdown hook stops its moto too. Waits up to 20 s for it to exit and for the
     * console to end, and returns the processes it had started, for the caller to check that none outlived it.
     */
    public List<ProcessHandle> stop() throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        // Through the handle: Process.destroy() would also close the pipe the goodbye is read from.
        process.toHandle().destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            throw new AssertionError("the local stack did not stop on SIGTERM within 20 s:\n" + printed());
        }
        reader.join(5_000);
        return children;
    }

    /** Whatever is still running of it, killed by pid: after a failed test or bench, never a stray moto. */
    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (echo != null) {
                    echo.println("local-stack| " + line);
                }
                synchronized (output) {
                    output.add(line);
                }
            }
        } catch (IOException e) {
            // the process is gone; what it printed until then is kept
        }
    }
}
