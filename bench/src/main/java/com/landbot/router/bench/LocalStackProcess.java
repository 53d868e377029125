package com.landbot.router.bench;

import com.landbot.router.local.LocalStack;
import com.landbot.router.testing.ProjectPaths;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The local stack as {@code make run} starts it: {@code scripts/run-local} as a child process (its own moto and
 * ElasticMQ, the real IngestHandler behind the local API Gateway, the real dispatcher polling the queue), on free
 * loopback ports, with the classpath Maven built for the local-stack module. Its console goes to a file.
 */
final class LocalStackProcess implements AutoCloseable {

    private final Process process;
    private final Path console;
    private final int apiPort;

    private LocalStackProcess(Process process, Path console, int apiPort) {
        this.process = process;
        this.console = console;
        this.apiPort = apiPort;
    }

    static LocalStackProcess start() throws IOException, InterruptedException {
        Path root = ProjectPaths.root();
        Path classes = root.resolve("local-stack/target/classes");
        Path lib = root.resolve("local-stack/target/lib");
        if (!Files.isDirectory(classes) || !Files.isDirectory(lib)) {
            throw new IllegalStateException("local-stack is not built (" + lib + "): bench/run builds it");
        }
        List<Integer> ports = freePorts(5);
        Path console = Files.createTempFile("bench-local-stack-", ".log");
        ProcessBuilder builder = new ProcessBuilder(root.resolve("scripts/run-local").toString())
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(console.toFile());
        Map<String, String> env = builder.environment();
        // The stack as a fresh clone runs it: local Slack sink, the template's routes, addresses and pacing.
        List.of("SLACK_WEBHOOK_URL", "SENDER_ADDRESS", "AUTH_TOKENS", "ADMIN_TOKENS", "ROUTES_CACHE_SECONDS",
                "SLACK_MIN_INTERVAL_MS").forEach(env::remove);
        env.put("LOCAL_STACK_CLASSPATH", classes + File.pathSeparator + lib + File.separator + "*");
        env.put("LOCAL_API_PORT", ports.get(0).toString());
        env.put("LOCAL_INBOX_PORT", ports.get(1).toString());
        env.put("LOCAL_SLACK_PORT", ports.get(2).toString());
        env.put("LOCAL_SQS_PORT", ports.get(3).toString());
        env.put("LOCAL_MOTO_PORT", ports.get(4).toString());
        LocalStackProcess stack = new LocalStackProcess(builder.start(), console, ports.get(0));
        stack.awaitReady();
        return stack;
    }

    URI api() {
        return URI.create("http://127.0.0.1:" + apiPort);
    }

    /** CPU time so far of the stack's JVM (API, IngestHandler, ElasticMQ, dispatcher): scripts/run-local execs java. */
    Duration jvmCpu() {
        return process.info().totalCpuDuration().orElseThrow();
    }

    /** CPU time so far of the moto process the stack started. */
    Duration motoCpu() {
        return process.descendants()
                .filter(p -> p.info().commandLine().map(c -> c.contains("moto")).orElse(false))
                .map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO))
                .reduce(Duration.ZERO, Duration::plus);
    }

    private void awaitReady() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plusSeconds(120);
        while (!Files.readString(console).contains(LocalStack.READY)) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                close();
                throw new IllegalStateException("the local stack did not start:\n" + Files.readString(console));
            }
            Thread.sleep(200);
        }
    }

    private static List<Integer> freePorts(int count) throws IOException {
        // Held open together so the five are distinct.
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0, 0, InetAddress.getLoopbackAddress()));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    /** SIGTERM: the stack's shutdown hook stops its moto too; whatever outlives 20 s is killed by its pid. */
    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
