package com.landbot.router.bench;

import com.landbot.router.dispatch.DispatchHandler;
import com.landbot.router.dispatch.DispatchWiring;
import com.landbot.router.dispatch.DynamoDbPacer;
import com.landbot.router.dispatch.Pacer;
import com.landbot.router.local.LocalResources;
import com.landbot.router.shared.AwsClients;
import com.landbot.router.shared.Destination;
import com.landbot.router.shared.DynamoDbMessageRepository;
import com.landbot.router.shared.DynamoDbRouteStore;
import com.landbot.router.shared.EmailTarget;
import com.landbot.router.shared.Message;
import com.landbot.router.shared.MessageRepository;
import com.landbot.router.shared.MessageStatus;
import com.landbot.router.shared.QueuedMessage;
import com.landbot.router.shared.Route;
import com.landbot.router.shared.SlackTarget;
import com.landbot.router.shared.SqsMessageQueue;
import com.landbot.router.emulators.ElasticMqServer;
import com.landbot.router.emulators.FunctionEnvironment;
import com.landbot.router.emulators.MotoServer;
import com.landbot.router.emulators.SlackStub;
import com.landbot.router.emulators.TemplateDefinitions;
import com.landbot.router.tools.SqsEventSource;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * {@code bench/pacing}: pacing under load, on the emulators, with the real handlers behind as many pollers as the
 * template's MaximumConcurrency and a Slack stand-in that enforces Slack's limit per webhook. Prints a table for the
 * README. Not a test: it asserts nothing and takes minutes.
 *
 * <ol>
 *   <li>a burst of 1,000 to one webhook, and of 1,000 over ten webhooks: SENT, ERROR, duplicates, 429s, drain time
 *       against the ideal (messages / rate). Rates are scaled by {@code scale} (stand-in and pacing together; Slack's
 *       one per second would make the first burst 17 minutes);</li>
 *   <li>a steady 5 messages per second for a minute over ten Slack topics and one email topic, at Slack's real
 *       rate: accepted-to-SENT latency p50 and p99;</li>
 *   <li>what pacing costs: pacing-table writes per booked slot and the booking's latency, two dispatchers booking
 *       on one destination and on ten.</li>
 * </ol>
 * Messages are put on the queue as ingest puts them (store PENDING, enqueue, mark QUEUED); acceptance is the
 * message's {@code createdAt}.
 */
public final class PacingBench {

    private static final int BURST = 1_000;
    private static final double STEADY_RATE = 5;
    private static final Duration STEADY_FOR = Duration.ofSeconds(60);

    private final AwsClients clients;
    private final LocalResources resources;
    private final MessageRepository repository;
    private final SlackStub slack;
    private final PrintStream out;
    private final int dispatchers = TemplateDefinitions.dispatchMaximumConcurrency();

    private PacingBench(AwsClients clients, LocalResources resources, SlackStub slack, PrintStream out) {
        this.clients = clients;
        this.resources = resources;
        this.repository = new DynamoDbMessageRepository(clients.dynamoDb(), resources.created().tableName());
        this.slack = slack;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        double scale = args.length > 0 ? Double.parseDouble(args[0]) : 10;
        Instant started = Instant.now();
        // The functions' JSON log lines would bury the table: they go to a file, as the soak's do.
        PrintStream console = System.out;
        Path logFile = Path.of(System.getenv().getOrDefault("PACING_LOG", "bench/target/pacing.log")).toAbsolutePath();
        Files.createDirectories(logFile.getParent());
        System.setOut(new PrintStream(new FileOutputStream(logFile.toFile()), true));
        console.println("pacing bench: logs in " + logFile);
        try (MotoServer moto = MotoServer.start(); ElasticMqServer elasticMq = ElasticMqServer.start(0);
             SlackStub slack = SlackStub.start()) {
            Map<String, String> aws = FunctionEnvironment.emulators("eu-west-1", moto.endpoint(), elasticMq.endpoint());
            AwsClients clients = new AwsClients(aws);
            LocalResources resources = LocalResources.create(clients, "router@example.com");
            PacingBench bench = new PacingBench(clients, resources, slack, console);
            List<String> rows = new ArrayList<>();
            rows.add(bench.burst("1,000 to one webhook", scale, 1, aws));
            rows.add(bench.burst("1,000 over 10 webhooks", scale, 10, aws));
            rows.add(bench.burst("1,000 over 10 webhooks, Slack's real rate (1/s each)", 1, 10, aws));
            String steady = bench.steady(aws);
            List<String> cost = bench.pacingCost(clients);
            String report = bench.report(scale, rows, steady, cost, Duration.between(started, Instant.now()));
            console.println(report);
            Path results = Path.of("bench/pacing-results.md");
            Files.writeString(results, report, StandardCharsets.UTF_8);
            console.println("written to " + results);
        }
        System.exit(0);
    }

    /** The functions' environment for these resources, Slack through each route's secret, pacing at {@code scale}. */
    private Map<String, String> environment(Map<String, String> aws, double scale) {
        return resources.functionEnvironment(aws)
                .with("SLACK_MIN_INTERVAL_MS", Long.toString(Math.round(1000 / scale)))
                .toMap();
    }

    /** Topics routed to {@code count} new webhooks (each URL in its own secret, as deployed). */
    private List<String> slackTopics(String run, int count) {
        DynamoDbRouteStore routes = new DynamoDbRouteStore(clients.dynamoDb(), resources.created().topicsTableName(),
                TemplateDefinitions.channelTargets());
        List<String> topics = new ArrayList<>();
        try (SecretsManagerClient secrets = clients.build(SecretsManagerClient.builder(), "SECRETS_MANAGER")) {
            for (int i = 0; i < count; i++) {
                String token = run + "-w" + i;
                String secretName = "landbot-router/slack/" + token;
                secrets.createSecret(b -> b.name(secretName).secretString(slack.webhookUrlOf(token)));
                routes.put(new Route(token, new SlackTarget(secretName)));
                topics.add(token);
            }
        }
        return topics;
    }

    private String burst(String name, double scale, int webhooks, Map<String, String> aws) throws Exception {
        slack.limitRate(new SlackStub.RateLimit(scale, 3));
        List<String> topics = slackTopics("burst" + webhooks, webhooks);
        List<Message> messages = accept(BURST, i -> topics.get(i % topics.size()), "slack");
        int before429 = slack.answered(429);
        Instant start = Instant.now();
        double ideal = Math.ceil((double) BURST / webhooks) / scale;
        Duration limit = Duration.ofMillis((long) (ideal * 3_000) + 120_000);
        Result result;
        try (Dispatchers running = new Dispatchers(environment(aws, scale))) {
            result = awaitDone(messages, start.plus(limit));
        }
        double drain = Duration.between(start, result.lastSent()).toMillis() / 1000.0;
        int duplicates = duplicates();
        out.printf("%s: %s%n", name, result);
        return "| %s | %.0f/s | %d | %d | %d | %d | %.1f s | %.1f s | %.2fx |".formatted(name, scale * webhooks, result.sent(), result.errors(),
                duplicates, slack.answered(429) - before429, drain, ideal, drain / ideal);
    }

    private String steady(Map<String, String> aws) throws Exception {
        slack.limitRate(new SlackStub.RateLimit(1, 3));
        List<String> topics = new ArrayList<>(slackTopics("steady", 10));
        topics.add("pricing");
        List<Message> messages = Collections.synchronizedList(new ArrayList<>());
        int total = (int) (STEADY_RATE * STEADY_FOR.toSeconds());
        int before429 = slack.answered(429);
        Result result;
        try (Dispatchers running = new Dispatchers(environment(aws, 1))) {
            Instant start = Instant.now();
            for (int i = 0; i < total; i++) {
                Instant due = start.plusMillis((long) (i * 1000 / STEADY_RATE));
                long wait = Duration.between(Instant.now(), due).toMillis();
                if (wait > 0) {
                    Thread.sleep(wait);
                }
                String topic = topics.get(i % topics.size());
                messages.add(acceptOne(topic, topic.equals("pricing") ? "email" : "slack", i));
            }
            result = awaitDone(messages, Instant.now().plusSeconds(120));
        }
        List<Long> latencies = new ArrayList<>();
        for (Message message : messages) {
            Message stored = repository.find(message.id()).orElseThrow();
            if (stored.sentAt() != null) {
                latencies.add(Duration.between(stored.createdAt(), stored.sentAt()).toMillis());
            }
        }
        Collections.sort(latencies);
        out.printf("steady: %s%n", result);
        return "| %.0f msg/s for %d s over 10 webhooks + email | %d | %d | %d | %d | %d ms | %d ms | %d ms |".formatted(
                STEADY_RATE, STEADY_FOR.toSeconds(), result.sent(), result.errors(), duplicates(),
                slack.answered(429) - before429, percentile(latencies, 50), percentile(latencies, 99),
                latencies.isEmpty() ? 0 : latencies.get(latencies.size() - 1));
    }

    /** Two dispatchers' pacers (their own objects, one table) booking at once, through a client that counts writes. */
    private List<String> pacingCost(AwsClients clients) throws Exception {
        List<String> rows = new ArrayList<>();
        for (int destinations : List.of(1, 10)) {
            AtomicLong writes = new AtomicLong();
            DynamoDbClient counting = countingWrites(clients.dynamoDb(), writes);
            List<Pacer> pacers = List.of(new DynamoDbPacer(counting, resources.created().pacingTableName()),
                    new DynamoDbPacer(counting, resources.created().pacingTableName()));
            List<Long> nanos = Collections.synchronizedList(new ArrayList<>());
            int bookings = 1_000;
            String run = UUID.randomUUID().toString().substring(0, 8);
            try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
                for (int p = 0; p < 2; p++) {
                    Pacer pacer = pacers.get(p);
                    int offset = p;
                    pool.submit(() -> {
                        for (int i = offset; i < bookings; i += 2) {
                            Destination destination = new Destination("slack", run + "-" + (i % destinations));
                            long t0 = System.nanoTime();
                            pacer.book(destination, Duration.ofSeconds(1), Instant.now());
                            nanos.add(System.nanoTime() - t0);
                        }
                    });
                }
            }
            List<Long> sorted = new ArrayList<>(nanos);
            Collections.sort(sorted);
            rows.add("| two dispatchers, %d destination%s | %d | %.2f | %.1f ms | %.1f ms |".formatted(destinations,
                    destinations == 1 ? "" : "s", bookings, writes.get() / (double) bookings,
                    percentile(sorted, 50) / 1e6, percentile(sorted, 99) / 1e6));
        }
        // For scale: a consistent GetItem of one message on the same moto, same two threads.
        Message probe = acceptOne("pricing", "email", -1);
        List<Long> reads = Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            for (int p = 0; p < 2; p++) {
                pool.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        long t0 = System.nanoTime();
                        repository.find(probe.id());
                        reads.add(System.nanoTime() - t0);
                    }
                });
            }
        }
        List<Long> sortedReads = new ArrayList<>(reads);
        Collections.sort(sortedReads);
        rows.add("| for scale: GetItem of a message, same moto, two threads | 1000 | 0 | %.1f ms | %.1f ms |".formatted(
                percentile(sortedReads, 50) / 1e6, percentile(sortedReads, 99) / 1e6));
        return rows;
    }

    private static DynamoDbClient countingWrites(DynamoDbClient real, AtomicLong writes) {
        return (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(), new Class<?>[] {DynamoDbClient.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("updateItem")) {
                        writes.incrementAndGet();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private interface TopicOf {
        String of(int i);
    }

    private List<Message> accept(int count, TopicOf topics, String channel) throws Exception {
        List<Message> messages = Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < count; i++) {
                int n = i;
                pool.submit(() -> messages.add(acceptOne(topics.of(n), channel, n)));
            }
        }
        return messages;
    }

    /** What ingest does: store PENDING, enqueue, mark QUEUED. */
    private Message acceptOne(String topic, String channel, int n) {
        Instant now = Instant.now();
        Message message = Message.pending(UUID.randomUUID().toString(), topic, channel, "bench customer " + n, now);
        repository.create(message);
        new SqsMessageQueue(clients.sqs(), resources.created().queueUrl()).enqueue(QueuedMessage.of(message));
        repository.markQueued(message.id(), now);
        return message;
    }

    private record Result(int sent, int errors, int other, Instant lastSent) {
        @Override
        public String toString() {
            return "SENT " + sent + ", ERROR " + errors + ", neither " + other;
        }
    }

    private Result awaitDone(List<Message> messages, Instant deadline) throws InterruptedException {
        while (true) {
            int sent = 0;
            int errors = 0;
            Instant last = Instant.EPOCH;
            for (Message message : List.copyOf(messages)) {
                Message stored = repository.find(message.id()).orElseThrow();
                if (stored.status() == MessageStatus.SENT) {
                    sent++;
                    last = stored.sentAt().isAfter(last) ? stored.sentAt() : last;
                } else if (stored.status() == MessageStatus.ERROR) {
                    errors++;
                }
            }
            int other = messages.size() - sent - errors;
            if (other == 0 || Instant.now().isAfter(deadline)) {
                return new Result(sent, errors, other, last.equals(Instant.EPOCH) ? Instant.now() : last);
            }
            Thread.sleep(1_000);
        }
    }

    /** Slack payloads beyond the first per message id, over the whole run. */
    private int duplicates() {
        Map<String, Integer> byMessage = new HashMap<>();
        for (SlackStub.Request request : slack.requests()) {
            Matcher id = MESSAGE_ID.matcher(request.body());
            if (request.status() == 200 && id.find()) {
                byMessage.merge(id.group(1), 1, Integer::sum);
            }
        }
        return byMessage.values().stream().mapToInt(n -> n - 1).sum();
    }

    /** The context line SlackMessageFormat writes. */
    private static final Pattern MESSAGE_ID = Pattern.compile("Message id: ([0-9a-f-]{36})");

    private static long percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private String report(double scale, List<String> bursts, String steady, List<String> cost, Duration took) {
        return """
                Run %s on %d cores, %d dispatchers (the template's MaximumConcurrency), batches of %d. Rerun: `bench/pacing`.

                | burst (rates scaled %.0fx unless said: stand-in %.0f/s per webhook, burst 3; pacing %d ms) | limit (all webhooks) | SENT | ERROR | duplicates | 429s | drain | ideal | drain / ideal |
                |---|---:|---:|---:|---:|---:|---:|---:|---:|
                %s

                | steady load (Slack's real rate: 1/s per webhook, burst 3) | SENT | ERROR | duplicates | 429s | accepted to SENT p50 | p99 | max |
                |---|---:|---:|---:|---:|---:|---:|---:|
                %s

                | pacing cost (pacing table on moto) | bookings | writes per booking | booking p50 | booking p99 |
                |---|---:|---:|---:|---:|
                %s

                The bench took %.1f min.
                """.formatted(Instant.now(), Runtime.getRuntime().availableProcessors(), dispatchers,
                TemplateDefinitions.dispatchBatchSize(), scale, scale, Math.round(1000 / scale),
                String.join("\n", bursts), steady, String.join("\n", cost), took.toMillis() / 60_000.0);
    }

    /** The event source mapping's pollers: one dispatcher ("container") each, until closed. */
    private final class Dispatchers implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();

        Dispatchers(Map<String, String> env) {
            for (int i = 0; i < dispatchers; i++) {
                DispatchHandler handler = new DispatchHandler(DispatchWiring.fromEnvironment(env, clients, Clock.systemUTC()),
                        Clock.systemUTC());
                SqsEventSource source = new SqsEventSource(clients.sqs(), resources.created().queueUrl(), clients.region().id(),
                        TemplateDefinitions.dispatchBatchSize());
                Thread thread = Thread.ofPlatform().daemon().name("bench-dispatcher-", 0).unstarted(() -> {
                    while (running.get()) {
                        try {
                            source.pollOnce(event -> handler.handle(event, null), 1);
                        } catch (RuntimeException e) {
                            out.println("[bench] poll failed: " + e);
                        }
                    }
                });
                threads.add(thread);
                thread.start();
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) {
                thread.join(60_000);
            }
        }
    }
}
