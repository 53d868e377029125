package com.landbot.router.emulators;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * moto in server mode (DynamoDB, SES and more on one port), from the project's venv (.venv/moto, made by
 * {@code make venv}). One per test JVM, on a loopback port chosen at run time (or a given one, for the local
 * stack); stopped when the JVM exits.
 */
public final class MotoServer implements AutoCloseable {

    /** What moto (werkzeug) prints once it listens; with port 0 the only place the chosen port is told. */
    private static final Pattern LISTENING = Pattern.compile("Running on http://127\\.0\\.0\\.1:(\\d+)");

    private final Process process;
    private volatile URI endpoint;

    private MotoServer(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    /** On a port the operating system chooses as moto binds it: no window in which another process can take it. */
    public static MotoServer start() {
        return start(0);
    }

    /** On a given loopback port (0: any free one, read back from moto's output): the local stack's fixed one. */
    public static MotoServer start(int port) {
        return start("127.0.0.1", port);
    }

    /**
     * Listening on {@code bindAddress} (0.0.0.0: also where containers reach the host, for the sam local tier);
     * {@link #endpoint()} stays the loopback address.
     */
    public static MotoServer start(String bindAddress, int port) {
        TestTier.requireNetworkAllowed("moto_server");
        Path executable = ProjectPaths.root().resolve(".venv/moto/bin/python");
        if (!Files.isExecutable(executable)) {
            throw new IllegalStateException(executable + " is missing: run 'make venv' (make test does it for you)");
        }
        // moto_server, with DynamoDB's conditional writes made atomic as they are on AWS (see the script).
        Path launcher = ProjectPaths.root().resolve("emulators/src/main/python/atomic_moto_server.py");
        Path log;
        try {
            log = Files.createTempFile("moto-", ".log");
            Process process = new ProcessBuilder(executable.toString(), launcher.toString(), "-H", bindAddress, "-p", Integer.toString(port))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            MotoServer server = new MotoServer(process, port == 0 ? null : URI.create("http://127.0.0.1:" + port));
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "moto-stop"));
            server.awaitReady(log);
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start moto_server", e);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    private void awaitReady(Path log) throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto_server exited: " + Files.readString(log));
            }
            if (endpoint == null) {
                Matcher listening = LISTENING.matcher(Files.readString(log));
                if (!listening.find()) {
                    sleep(100);
                    continue;
                }
                endpoint = URI.create("http://127.0.0.1:" + listening.group(1));
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/")).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(100);
        }
        close();
        throw new IllegalStateException("moto_server did not answer within 60 s: " + Files.readString(log));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
