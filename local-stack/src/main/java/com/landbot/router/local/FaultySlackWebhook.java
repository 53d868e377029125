package com.landbot.router.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak test's Slack incoming webhook: answers a share of requests {@code 500 internal_error} or
 * {@code 429 rate_limited} (with {@code Retry-After: 1}), the rest {@code 200 ok}, from a seeded {@link Random}.
 * It counts, per message id, the payloads it answered 200: what a person in the channel would have seen, so a
 * count above one is a duplicate notification. The message id is read from the Block Kit context line
 * ({@code Message id: <uuid>}) that {@code SlackMessageFormat} writes.
 */
final class FaultySlackWebhook implements AutoCloseable {

    private static final Pattern MESSAGE_ID = Pattern.compile("Message id: ([0-9a-f-]{36})");

    private final HttpServer server;
    private final ExecutorService executor;
    private final Random random;
    private final double failureRate;
    private volatile boolean faulty = true;
    private final Map<String, AtomicInteger> delivered = new ConcurrentHashMap<>();
    private final AtomicInteger serverErrors = new AtomicInteger();
    private final AtomicInteger rateLimited = new AtomicInteger();
    private final AtomicInteger unreadable = new AtomicInteger();

    private FaultySlackWebhook(HttpServer server, ExecutorService executor, Random random, double failureRate) {
        this.server = server;
        this.executor = executor;
        this.random = random;
        this.failureRate = failureRate;
    }

    static FaultySlackWebhook start(long seed, double failureRate) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            ExecutorService executor = Executors.newFixedThreadPool(4, LocalThreads.named("faulty-slack"));
            FaultySlackWebhook webhook = new FaultySlackWebhook(server, executor, new Random(seed), failureRate);
            server.createContext("/", webhook::handle);
            server.setExecutor(executor);
            server.start();
            return webhook;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the faulty Slack webhook", e);
        }
    }

    String webhookUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/services/T000/B000/SOAK";
    }

    /** Off for the redrive phase: every request is answered 200. */
    void faultsOff() {
        faulty = false;
    }

    Map<String, AtomicInteger> delivered() {
        return delivered;
    }

    int serverErrors() {
        return serverErrors.get();
    }

    int rateLimited() {
        return rateLimited.get();
    }

    /** Requests answered 200 whose payload had no message id: a format change would show up here. */
    int unreadable() {
        return unreadable.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            int status;
            String word;
            double draw;
            synchronized (random) {
                draw = random.nextDouble();
            }
            if (faulty && draw < failureRate / 2) {
                status = 500;
                word = "internal_error";
                serverErrors.incrementAndGet();
            } else if (faulty && draw < failureRate) {
                status = 429;
                word = "rate_limited";
                exchange.getResponseHeaders().set("Retry-After", "1");
                rateLimited.incrementAndGet();
            } else {
                status = 200;
                word = "ok";
                Matcher id = MESSAGE_ID.matcher(body);
                if (id.find()) {
                    delivered.computeIfAbsent(id.group(1), k -> new AtomicInteger()).incrementAndGet();
                } else {
                    unreadable.incrementAndGet();
                }
            }
            byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
            LocalHttp.respond(exchange, status, "text/html", bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
