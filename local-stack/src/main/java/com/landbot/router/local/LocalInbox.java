package com.landbot.router.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.landbot.router.shared.Json;
import com.landbot.router.emulators.SesOutbox;
import com.landbot.router.emulators.SesOutbox.SentEmail;
import com.landbot.router.emulators.SlackStub;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Where a developer sees what the channels received: every Slack payload the local sink accepted and every
 * email SES (moto) accepted, printed on the console as they arrive and listed over HTTP:
 * {@code GET /emails} and {@code GET /slack} (JSON), {@code GET /} (the same, as text). The API's documentation
 * ({@link LocalDocs}) is served on the same port under {@code /docs}.
 *
 * <p>The local Slack sink's fault switch, to see a failure and a retry from the operator console:
 * {@code PUT /slack/outage} with {@code {"status": 404, "error": "channel_not_found"}} makes the sink answer every
 * payload so (404 is a revoked webhook: the message ends ERROR at once; 500 is retried); {@code DELETE /slack/outage}
 * fixes it.
 */
final class LocalInbox implements AutoCloseable {

    /** The Slack sink's fault switch. */
    static final String OUTAGE = "/slack/outage";

    private final HttpServer server;
    private final ExecutorService executor;
    private final SesOutbox outbox;
    private final SlackStub slackSink;
    private final PrintStream out;
    private final Set<String> printedEmails = new HashSet<>();

    private LocalInbox(HttpServer server, ExecutorService executor, SesOutbox outbox, SlackStub slackSink, PrintStream out) {
        this.server = server;
        this.executor = executor;
        this.outbox = outbox;
        this.slackSink = slackSink;
        this.out = out;
    }

    /** @param slackSink the local Slack stand-in, or null when messages go to a real webhook */
    static LocalInbox start(int port, SesOutbox outbox, SlackStub slackSink, PrintStream out) {
        LocalHttp.limitSlowClients();
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            // As the API: a thread per request in progress, so a stalled client cannot hold the inbox up.
            ExecutorService executor = Executors.newCachedThreadPool(LocalThreads.named("inbox"));
            LocalInbox inbox = new LocalInbox(server, executor, outbox, slackSink, out);
            if (slackSink != null) {
                slackSink.onRequest(inbox::printSlack);
            }
            server.createContext("/", inbox::handle);
            server.setExecutor(executor);
            server.start();
            return inbox;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve the inbox on port " + port, e);
        }
    }

    /** Serves the API's documentation under {@value LocalDocs#PATH} on this port. */
    void serveDocs(LocalDocs docs) {
        server.createContext(LocalDocs.PATH, docs::handle);
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Prints the emails SES accepted since the last call; the dispatcher calls it after each batch. */
    synchronized void printNewEmails() {
        for (SentEmail email : outbox.all()) {
            if (printedEmails.add(email.messageId())) {
                out.println("[email] SES accepted " + email.messageId() + "\n" + indent(describe(email)));
            }
        }
    }

    private void printSlack(SlackStub.Request request) {
        if (request.status() != 200) {
            out.println(Console.line("[slack] local sink refused a payload with " + request.status() + ": " + request.body()));
            return;
        }
        out.println("[slack] local sink received:\n" + indent(describe(request.json())));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (path.equals(OUTAGE)) {
                outage(exchange);
                return;
            }
            if (!"GET".equals(exchange.getRequestMethod())) {
                write(exchange, 405, "text/plain", "GET only: /, /emails, /slack, /docs (and PUT or DELETE " + OUTAGE + ")");
                return;
            }
            switch (path) {
                case "/emails" -> write(exchange, 200, "application/json", Json.write(outbox.all()));
                case "/slack" -> write(exchange, 200, "application/json", Json.write(slackPayloads()));
                case "/" -> write(exchange, 200, "text/plain; charset=utf-8", page());
                default -> write(exchange, 404, "text/plain", "not found: try /, /emails, /slack, /docs");
            }
        } catch (RuntimeException e) {
            write(exchange, 502, "text/plain", "cannot read the emulators: " + e.getMessage());
        }
    }

    /** {@code PUT}: the sink answers every payload with the given status and error word; {@code DELETE}: it is fixed. */
    private void outage(HttpExchange exchange) throws IOException {
        if (slackSink == null) {
            write(exchange, 409, "text/plain", "Slack goes to the real webhook in SLACK_WEBHOOK_URL: there is no local sink to fail");
            return;
        }
        switch (exchange.getRequestMethod()) {
            case "PUT" -> {
                JsonNode request;
                try {
                    request = Json.MAPPER.readTree(exchange.getRequestBody().readAllBytes());
                } catch (IOException e) {
                    request = null;
                }
                int status = request == null ? 0 : request.path("status").asInt(0);
                String error = request == null ? "" : request.path("error").asText("");
                if (status < 400 || status > 599 || !error.matches("[a-z_]{1,64}")) {
                    write(exchange, 400, "text/plain", "send {\"status\": 404, \"error\": \"channel_not_found\"}: a 4xx or 5xx and Slack's error word");
                    return;
                }
                slackSink.failEveryRequest(status, error);
                out.println("[slack] local sink is down: it answers every payload " + status + " " + error + " (DELETE " + OUTAGE + " fixes it)");
                write(exchange, 200, "application/json", Json.write(java.util.Map.of("status", status, "error", error)));
            }
            case "DELETE" -> {
                slackSink.recover();
                out.println("[slack] local sink is fixed: it answers 200 ok again");
                write(exchange, 204, "text/plain", "");
            }
            default -> write(exchange, 405, "text/plain", "PUT or DELETE " + OUTAGE);
        }
    }

    private List<JsonNode> slackPayloads() {
        return slackSink == null ? List.of() : slackSink.delivered();
    }

    private String page() {
        StringBuilder page = new StringBuilder();
        List<SentEmail> emails = outbox.all();
        page.append("Emails SES accepted (").append(emails.size()).append("):\n\n");
        emails.forEach(email -> page.append(indent(describe(email))).append("\n\n"));
        if (slackSink == null) {
            page.append("Slack: messages go to the real webhook in SLACK_WEBHOOK_URL; look in the channel.\n");
        } else {
            List<JsonNode> payloads = slackSink.delivered();
            page.append("Slack payloads the local sink received (").append(payloads.size()).append("):\n\n");
            payloads.forEach(payload -> page.append(indent(describe(payload))).append("\n\n"));
        }
        return page.toString();
    }

    /** The parts of a Block Kit payload a person in the channel would read: header, sections, context lines. */
    static String describe(JsonNode payload) {
        StringBuilder text = new StringBuilder();
        for (JsonNode block : payload.path("blocks")) {
            switch (block.path("type").asText()) {
                case "header" -> text.append("# ").append(block.path("text").path("text").asText()).append('\n');
                case "section" -> text.append(block.path("text").path("text").asText()).append('\n');
                case "context" -> block.path("elements").forEach(e -> text.append("  ").append(e.path("text").asText()).append('\n'));
                default -> text.append("[").append(block.path("type").asText()).append(" block]\n");
            }
        }
        if (text.isEmpty()) {
            text.append(payload.path("text").asText()).append('\n');
        }
        return text.toString().stripTrailing();
    }

    static String describe(SentEmail email) {
        return "From: " + email.source() + "\nTo: " + String.join(", ", email.to()) + "\nSubject: " + email.subject()
                + "\n\n" + plain(email.body());
    }

    /** moto keeps the HTML part; a console wants its text. */
    static String plain(String html) {
        if (html == null) {
            return "";
        }
        // Line breaks in the HTML source mean nothing; the tags say where lines end.
        return html.replace("\n", "")
                .replaceAll("(?i)<br\\s*/?>|</p>|</tr>|</h[1-6]>|</div>", "\n")
                .replaceAll("(?i)</th>", ": ")
                .replaceAll("<[^>]+>", "")
                .replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&amp;", "&")
                .strip();
    }

    /** Indented under its heading, with the control characters of outside text escaped (see {@link Console}). */
    static String indent(String text) {
        return "    " + Console.lines(text).replace("\n", "\n    ");
    }

    private static void write(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        LocalHttp.respond(exchange, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
