package com.landbot.router.emulators;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.landbot.router.shared.Json;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for a Slack incoming webhook, on a loopback port chosen at run time.
 *
 * <pre>{@code
 * try (SlackStub slack = SlackStub.start()) {
 *     Channel channel = new SlackChannel(slack::webhookUrl, Duration.ofSeconds(2));
 *     slack.respondNext(429, "rate_limited", Map.of("Retry-After", "2"));   // first request is throttled
 *     ...
 *     assertEquals(1, slack.deliveries());                                   // then one got through
 *     JsonNode posted = slack.delivered().get(0);                            // what Slack would show
 * }
 * }</pre>
 *
 * <p>What it does, like Slack:
 * <ul>
 *   <li>only {@link #webhookUrl()}'s path, and those of {@link #webhookUrlOf(String)}, are webhooks; any other path
 *       is answered {@code 404 no_service};</li>
 *   <li>with {@link #limitRate} on, each webhook is a token bucket like Slack's limit (a sustained rate, a small
 *       burst): a well-formed request beyond it is answered {@code 429 rate_limited} with {@code Retry-After}
 *       (whole seconds until a token is back, at least 1);</li>
 *   <li>a request that is not a {@code POST} with a JSON content type and a JSON object body is answered
 *       {@code 400 invalid_payload}; an object with neither {@code text} nor {@code blocks} is answered
 *       {@code 400 no_text}; a header block over 150 characters or a section text over 3,000 is answered
 *       {@code 400 invalid_blocks} (Slack's Block Kit limits, so a formatting bug shows up in tests);</li>
 *   <li>during an outage ({@link #failEveryRequest}, until {@link #recover}) every good request gets the
 *       outage's answer: a revoked webhook ({@code 404 channel_not_found}) or a Slack incident ({@code 500});</li>
 *   <li>then, while a {@link FaultPlan} is in force ({@link #injectFaults}), a seeded share of requests is
 *       answered {@code 500 internal_error} or {@code 429 rate_limited} with {@code Retry-After: 1} (the soak);</li>
 *   <li>otherwise the next scripted answer ({@link #respondNext}) is given, in the order scripted, or
 *       {@code 200 ok} when none is left. Malformed requests do not use up a scripted answer: a script says what
 *       Slack does with a good request.</li>
 * </ul>
 * Every request is recorded ({@link #requests()}); {@link #deliveries()} counts those answered 200, which is
 * what a person in the channel would have seen, and {@link #deliveriesByMessageId()} says how often each message
 * arrived (above one is a duplicate notification). All methods are thread-safe.
 */
public final class SlackStub implements AutoCloseable {

    /** The webhook path; its last part stands for the secret token in a real webhook URL. */
    public static final String WEBHOOK_PATH = "/services/T000/B000/XXXX";

    private static final int HEADER_TEXT_LIMIT = 150;
    private static final int SECTION_TEXT_LIMIT = 3000;

    /**
     * One request as received.
     *
     * @param method      the HTTP method
     * @param path        the request path
     * @param contentType the Content-Type header, or null
     * @param body        the raw body, decoded as UTF-8
     * @param json        the body parsed with {@link Json#MAPPER}, or null if it is not JSON
     * @param status      the status the stub answered
     */
    public record Request(String method, String path, String contentType, String body, JsonNode json, int status) {
    }

    private record Answer(int status, String body, Map<String, String> headers) {
    }

    /**
     * Faults drawn from a seeded {@link Random}: {@code failureRate} of well-formed requests fail, half of those
     * {@code 500 internal_error}, half {@code 429 rate_limited} with {@code Retry-After: 1}.
     */
    public record FaultPlan(long seed, double failureRate) {

        Answer draw(Random random) {
            double draw = random.nextDouble();
            if (draw < failureRate / 2) {
                return new Answer(500, "internal_error", Map.of());
            }
            return draw < failureRate ? new Answer(429, "rate_limited", Map.of("Retry-After", "1")) : null;
        }
    }

    /** The context line SlackMessageFormat writes: how a payload names its message. */
    private static final Pattern MESSAGE_ID = Pattern.compile("Message id: ([0-9a-f-]{36})");

    private final HttpServer server;
    private final ExecutorService executor;
    private final Object lock = new Object();
    private final Deque<Answer> script = new ArrayDeque<>();
    private final List<Request> requests = new ArrayList<>();
    private final Set<String> webhookPaths = new HashSet<>(Set.of(WEBHOOK_PATH));
    private final Map<String, TokenBucket> buckets = new HashMap<>();
    private RateLimit rateLimit;
    private FaultPlan faults;
    private Random faultDraws;
    private volatile Consumer<Request> listener = request -> { };
    /** The answer to every good request while Slack is "down", or null. */
    private Answer outage;

    private SlackStub(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts a stub on 127.0.0.1 on a free port. */
    public static SlackStub start() {
        return start(0);
    }

    /** Starts a stub on 127.0.0.1 on the given port (0: a free one): the local stack's Slack sink. */
    public static SlackStub start(int port) {
        return start(InetAddress.getLoopbackAddress(), port);
    }

    /** Listening on {@code bindAddress} (the wildcard: also where containers reach the host); {@link #webhookUrl()} stays loopback. */
    public static SlackStub start(InetAddress bindAddress, int port) {
        TestTier.requireNetworkAllowed("the Slack stand-in");
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(bindAddress, port), 0);
            ExecutorService executor = Executors.newFixedThreadPool(4, runnable -> {
                Thread thread = new Thread(runnable, "slack-stub");
                thread.setDaemon(true);
                return thread;
            });
            SlackStub stub = new SlackStub(server, executor);
            server.createContext("/", stub::handle);
            server.setExecutor(executor);
            server.start();
            return stub;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Slack stub", e);
        }
    }

    /** The URL to configure as the incoming-webhook URL ({@code SLACK_WEBHOOK_URL}). */
    public String webhookUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + WEBHOOK_PATH;
    }

    /**
     * Another webhook of this workspace, {@code /services/T000/B000/<token>}: its own channel and its own rate
     * limit, as each Slack incoming webhook has.
     */
    public String webhookUrlOf(String token) {
        if (!token.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("a webhook token is 1-64 of A-Za-z0-9_-");
        }
        synchronized (lock) {
            webhookPaths.add("/services/T000/B000/" + token);
        }
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/services/T000/B000/" + token;
    }

    /**
     * Slack's per-webhook rate limit: {@code perSecond} sustained and bursts of {@code burst} (Slack: about one
     * message per second, short bursts tolerated), each webhook counted alone.
     */
    public record RateLimit(double perSecond, int burst) {
        public RateLimit {
            if (!(perSecond > 0) || burst < 1) {
                throw new IllegalArgumentException("a positive rate and a burst of at least 1");
            }
        }
    }

    /** From now on every webhook answers above {@code limit} with 429 and Retry-After; null turns it off. */
    public void limitRate(RateLimit limit) {
        synchronized (lock) {
            rateLimit = limit;
            buckets.clear();
        }
    }

    /** The JSON payloads answered 200 on the webhook {@code token} ({@link #webhookUrlOf(String)}), in order. */
    public List<JsonNode> delivered(String token) {
        String path = "/services/T000/B000/" + token;
        synchronized (lock) {
            return requests.stream().filter(r -> r.status() == 200 && r.path().equals(path)).map(Request::json).toList();
        }
    }

    /** Scripts the answer to the next well-formed request, after any answers already scripted. */
    public void respondNext(int status, String body) {
        respondNext(status, body, Map.of());
    }

    /** As {@link #respondNext(int, String)}, with response headers, e.g. {@code Map.of("Retry-After", "2")}. */
    public void respondNext(int status, String body, Map<String, String> headers) {
        synchronized (lock) {
            script.addLast(new Answer(status, body, Map.copyOf(headers)));
        }
    }

    /**
     * From now on, answers every well-formed request {@code status} with {@code body} (ahead of any script) until
     * {@link #recover()}: a webhook that fails and is then fixed, as an operator meets it.
     */
    public void failEveryRequest(int status, String body) {
        synchronized (lock) {
            outage = new Answer(status, body, Map.of());
        }
    }

    /** Ends {@link #failEveryRequest}: good requests get the script's answers, or {@code 200 ok}, again. */
    public void recover() {
        synchronized (lock) {
            outage = null;
        }
    }

    /** The status every good request gets during an outage, or empty when there is none. */
    public java.util.OptionalInt outageStatus() {
        synchronized (lock) {
            return outage == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(outage.status());
        }
    }

    /** From now on, answers a share of well-formed requests with a failure, as the plan says. */
    public void injectFaults(FaultPlan plan) {
        synchronized (lock) {
            faults = Objects.requireNonNull(plan, "plan");
            faultDraws = new Random(plan.seed());
        }
    }

    /** Ends the fault plan: Slack is healthy again (the soak's redrive phase). */
    public void stopFaults() {
        synchronized (lock) {
            faults = null;
        }
    }

    /** How many requests were answered with this status (429: rate limited). */
    public int answered(int status) {
        synchronized (lock) {
            return (int) requests.stream().filter(request -> request.status() == status).count();
        }
    }

    /**
     * Per message id, how many payloads naming it were answered 200 (read from the {@code Message id: <uuid>}
     * context line); payloads that name none are counted under the key {@code ""}.
     */
    public Map<String, Integer> deliveriesByMessageId() {
        Map<String, Integer> counts = new HashMap<>();
        synchronized (lock) {
            for (Request request : requests) {
                if (request.status() == 200) {
                    Matcher id = MESSAGE_ID.matcher(request.body());
                    counts.merge(id.find() ? id.group(1) : "", 1, Integer::sum);
                }
            }
        }
        return counts;
    }

    /** Called with each request once it is answered, on the stub's thread: the local stack prints them. */
    public void onRequest(Consumer<Request> listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** Every request received, in order, whatever it was answered. */
    public List<Request> requests() {
        synchronized (lock) {
            return List.copyOf(requests);
        }
    }

    /** How many requests were answered 200: the messages that would have appeared in the channel. */
    public int deliveries() {
        return delivered().size();
    }

    /** The JSON payloads of the requests answered 200, in order. */
    public List<JsonNode> delivered() {
        synchronized (lock) {
            return requests.stream().filter(request -> request.status() == 200).map(Request::json).toList();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            JsonNode json = parse(body);

            Answer answer;
            synchronized (lock) {
                String rejection = webhookPaths.contains(path) ? rejection(method, contentType, json) : "no_service";
                // An outage (failEveryRequest) answers first: the webhook is broken whatever the rate.
                Answer limited = rejection == null && outage == null ? overLimit(path) : null;
                Answer fault = rejection == null && outage == null && limited == null && faults != null ? faults.draw(faultDraws) : null;
                answer = rejection != null ? rejectionAnswer(rejection) : outage != null ? outage : limited != null ? limited
                        : fault != null ? fault : nextScripted();
                requests.add(new Request(method, path, contentType, body, json, answer.status()));
            }
            answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            exchange.getResponseHeaders().set("Content-Type", "text/html");
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
            listener.accept(new Request(method, path, contentType, body, json, answer.status()));
        }
    }

    private Answer nextScripted() {
        Answer scripted = script.pollFirst();
        return scripted != null ? scripted : new Answer(200, "ok", Map.of());
    }

    /** A token per request from the webhook's bucket, or the 429 Slack gives when there is none. */
    private Answer overLimit(String path) {
        if (rateLimit == null) {
            return null;
        }
        long now = System.nanoTime();
        TokenBucket bucket = buckets.computeIfAbsent(path, p -> new TokenBucket(rateLimit.burst(), now));
        double tokens = Math.min(rateLimit.burst(), bucket.tokens + (now - bucket.at) / 1e9 * rateLimit.perSecond());
        if (tokens >= 1) {
            buckets.put(path, new TokenBucket(tokens - 1, now));
            return null;
        }
        buckets.put(path, new TokenBucket(tokens, now));
        long retryAfter = Math.max(1, (long) Math.ceil((1 - tokens) / rateLimit.perSecond()));
        return new Answer(429, "rate_limited", Map.of("Retry-After", Long.toString(retryAfter)));
    }

    private record TokenBucket(double tokens, long at) {
    }

    private static Answer rejectionAnswer(String rejection) {
        return new Answer(rejection.equals("no_service") ? 404 : 400, rejection, Map.of());
    }

    /** Slack's error word for a request it would refuse whatever the script says, or null. */
    private static String rejection(String method, String contentType, JsonNode json) {
        boolean jsonType = contentType != null
                && contentType.toLowerCase(Locale.ROOT).startsWith("application/json");
        if (!"POST".equals(method) || !jsonType || json == null || !json.isObject()) {
            return "invalid_payload";
        }
        boolean hasText = json.path("text").isTextual() && !json.path("text").asText().isBlank();
        boolean hasBlocks = json.path("blocks").isArray() && !json.path("blocks").isEmpty();
        if (!hasText && !hasBlocks) {
            return "no_text";
        }
        if (json.has("blocks") && !blocksWithinLimits(json.get("blocks"))) {
            return "invalid_blocks";
        }
        return null;
    }

    private static boolean blocksWithinLimits(JsonNode blocks) {
        if (!blocks.isArray()) {
            return false;
        }
        for (JsonNode block : blocks) {
            String type = block.path("type").asText("");
            String text = block.path("text").path("text").asText("");
            if (type.isEmpty()
                    || type.equals("header") && (text.isEmpty() || text.length() > HEADER_TEXT_LIMIT)
                    || type.equals("section") && text.length() > SECTION_TEXT_LIMIT) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode parse(String body) {
        try {
            return body.isBlank() ? null : Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
