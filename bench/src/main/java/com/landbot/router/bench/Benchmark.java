package com.landbot.router.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.landbot.router.dispatch.DispatchHandler;
import com.landbot.router.dispatch.DispatchWiring;
import com.landbot.router.ingest.IngestHandler;
import com.landbot.router.shared.AwsClients;
import com.landbot.router.shared.Json;
import com.landbot.router.shared.Message;
import com.landbot.router.shared.QueuedMessage;
import com.landbot.router.shared.SqsMessageQueue;
import com.landbot.router.testing.Emulators;
import com.landbot.router.testing.Events;
import com.landbot.router.testing.ProjectPaths;
import com.landbot.router.testing.RuntimeInterfaceEmulator;
import com.landbot.router.testing.SlackStub;
import com.landbot.router.testing.TemplateDefinitions;
import com.landbot.router.testing.TestStack;
import com.landbot.router.tools.SqsEventSource;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * bench/run: artifact sizes, cold starts (a fresh JVM per run under the Runtime Interface Emulator, beside a
 * hello-world handler measured the same way in the same run, so the ratio survives a noisy machine), warm
 * ingest latency and throughput with the handler's overhead over its bare SDK calls, and dispatch throughput
 * with a Slack stand-in that answers at once. Prints one table and writes it to bench/results.md.
 */
public final class Benchmark {

    private final StringBuilder report = new StringBuilder();

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        new Benchmark().run(runs);
        System.exit(0);
    }

    void run(int runs) throws Exception {
        line("# Benchmark results");
        line("");
        line("Run " + ZonedDateTime.now().withNano(0) + " on " + Runtime.getRuntime().availableProcessors()
                + " cores, JVM " + System.getProperty("java.version") + ", " + runs + " cold starts per row. Rerun: `bench/run`.");
        line("");
        sizes();
        try (TestStack stack = TestStack.create(); SlackStub slack = SlackStub.start()) {
            Map<String, String> env = environment(stack, slack);
            coldStarts(runs, stack, env);
            warmIngest(env);
            dispatchThroughput(stack, env);
        }
        Path out = ProjectPaths.root().resolve("bench/results.md");
        Files.writeString(out, report);
        System.out.println("\nwritten to " + out);
    }

    private Map<String, String> environment(TestStack stack, SlackStub slack) {
        Map<String, String> env = new HashMap<>(stack.functionEnvironment());
        env.put("SLACK_WEBHOOK_URL", slack.webhookUrl());
        env.put("SENDER_ADDRESS", "router@example.com");
        // SES (and moto) refuse an unverified sender: the pricing rows must measure a real send.
        try (var ses = Emulators.get().clients().build(software.amazon.awssdk.services.sesv2.SesV2Client.builder(), "SESV2")) {
            try {
                ses.createEmailIdentity(b -> b.emailIdentity("router@example.com"));
            } catch (software.amazon.awssdk.services.sesv2.model.AlreadyExistsException e) {
                // verified by an earlier run against the same emulator
            }
        }
        env.put("RECIPIENTS_PRICING", "pricing-team@example.com");
        env.put("AUTH_TOKENS", TestStack.LOCAL_DEV_TOKEN);
        env.put("SLACK_MIN_INTERVAL_MS", "0");
        return env;
    }

    // ---------------------------------------------------------------- sizes

    private void sizes() throws IOException {
        line("## Artifact sizes (as `sam build` produced them)");
        line("");
        line("| artifact | jars | unpacked | zipped (what Lambda counts) |");
        line("|---|---:|---:|---:|");
        for (String name : List.of("IngestFunction", "DispatchFunction")) {
            size(name, RuntimeInterfaceEmulator.samBuild(name));
        }
        size("hello-world baseline", hello());
        line("");
    }

    private void size(String name, Path artifact) throws IOException {
        List<Path> jars;
        try (Stream<Path> files = Files.list(artifact.resolve("lib"))) {
            jars = files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
        long unpacked = 0;
        CountingStream zipped = new CountingStream();
        try (ZipOutputStream zip = new ZipOutputStream(zipped)) {
            for (Path jar : jars) {
                unpacked += Files.size(jar);
                zip.putNextEntry(new ZipEntry("lib/" + jar.getFileName()));
                Files.copy(jar, zip);
                zip.closeEntry();
            }
        }
        line("| %s | %d | %.2f MB | %.2f MB |".formatted(name, jars.size(), unpacked / 1e6, zipped.count / 1e6));
    }

    private static Path hello() {
        return ProjectPaths.root().resolve("bench/target/hello");
    }

    // ---------------------------------------------------------------- cold starts

    private record ColdStart(double wallMillis, double cpuMillis) {
    }

    private void coldStarts(int runs, TestStack stack, Map<String, String> env) throws Exception {
        Map<String, List<ColdStart>> results = new java.util.LinkedHashMap<>();
        results.put("hello-world", new ArrayList<>());
        results.put("ingest (POST sales)", new ArrayList<>());
        results.put("dispatch (SQS batch, 1 sales)", new ArrayList<>());
        // A pricing-only container never loads slack-api-client: the difference to the row above is its cost.
        results.put("dispatch (SQS batch, 1 pricing)", new ArrayList<>());
        // Interleaved, so a slow stretch of the machine hits every row alike.
        for (int run = 0; run < runs; run++) {
            results.get("hello-world").add(coldStart(hello(), "com.landbot.router.bench.hello.HelloHandler::handleRequest", env, "{}", null));
            results.get("ingest (POST sales)").add(coldStart(RuntimeInterfaceEmulator.samBuild("IngestFunction"),
                    TemplateDefinitions.handler("IngestFunction"), env, ingestEvent(), "\"statusCode\":202"));
            results.get("dispatch (SQS batch, 1 sales)").add(coldStart(RuntimeInterfaceEmulator.samBuild("DispatchFunction"),
                    TemplateDefinitions.handler("DispatchFunction"), env, dispatchEvent(stack, "sales", "slack"), "\"batchItemFailures\":[]"));
            results.get("dispatch (SQS batch, 1 pricing)").add(coldStart(RuntimeInterfaceEmulator.samBuild("DispatchFunction"),
                    TemplateDefinitions.handler("DispatchFunction"), env, dispatchEvent(stack, "pricing", "email"), "\"batchItemFailures\":[]"));
            System.out.printf("cold start run %d/%d done%n", run + 1, runs);
        }
        ColdStart baseline = medians(results.get("hello-world"));
        line("## Cold start (fresh JVM under aws-lambda-rie, process start to first successful response)");
        line("");
        line("| function | wall median | wall min-max | CPU median | CPU min-max | CPU vs hello-world |");
        line("|---|---:|---:|---:|---:|---:|");
        for (var entry : results.entrySet()) {
            Stats wall = Stats.of(entry.getValue().stream().map(ColdStart::wallMillis).toList());
            Stats cpu = Stats.of(entry.getValue().stream().map(ColdStart::cpuMillis).toList());
            line("| %s | %.0f ms | %.0f-%.0f ms | %.0f ms | %.0f-%.0f ms | %.1fx |".formatted(entry.getKey(),
                    wall.median(), wall.min(), wall.max(), cpu.median(), cpu.min(), cpu.max(), cpu.median() / baseline.cpuMillis()));
        }
        line("");
        line("CPU is the function JVM's user+system time up to the first response (all threads); wall includes the emulator's start.");
        line("");
    }

    private static ColdStart medians(List<ColdStart> runs) {
        return new ColdStart(Stats.of(runs.stream().map(ColdStart::wallMillis).toList()).median(),
                Stats.of(runs.stream().map(ColdStart::cpuMillis).toList()).median());
    }

    private ColdStart coldStart(Path artifact, String handler, Map<String, String> env, String event, String expected) throws Exception {
        long started = System.nanoTime();
        try (RuntimeInterfaceEmulator function = RuntimeInterfaceEmulator.start(artifact, handler, env)) {
            String response = function.invoke(event);
            double wall = (System.nanoTime() - started) / 1e6;
            if (expected != null && !response.contains(expected)) {
                throw new IllegalStateException("unexpected response from " + handler + ": " + response + "\n" + function.log());
            }
            ProcessHandle jvm = function.process().descendants()
                    .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no java process under the emulator"));
            double cpu = jvm.info().totalCpuDuration().orElseThrow().toNanos() / 1e6;
            return new ColdStart(wall, cpu);
        }
    }

    private static String ingestEvent() {
        APIGatewayV2HTTPEvent event = Events.load("post-sales.json", APIGatewayV2HTTPEvent.class);
        Map<String, String> headers = new HashMap<>(event.getHeaders());
        headers.put("authorization", "Bearer local-dev-token");
        event.setHeaders(headers);
        return Events.toJson(event, APIGatewayV2HTTPEvent.class);
    }

    private static String dispatchEvent(TestStack stack, String topic, String channel) {
        Message message = Message.pending(UUID.randomUUID().toString(), topic, channel, "Need a demo", Instant.now());
        stack.repository().create(message);
        stack.repository().markQueued(message.id(), Instant.now());
        SQSEvent event = Events.load("sqs-sales.json", SQSEvent.class);
        event.getRecords().get(0).setBody(QueuedMessage.of(message).toJson());
        return Events.toJson(event, SQSEvent.class);
    }

    // ---------------------------------------------------------------- warm

    private void warmIngest(Map<String, String> env) throws Exception {
        AwsClients clients = Emulators.get().clients();
        IngestHandler handler = new IngestHandler(env, clients);
        APIGatewayV2HTTPEvent event = Events.fromJson(ingestEvent(), APIGatewayV2HTTPEvent.class);
        for (int i = 0; i < 50; i++) {
            handler.handleRequest(event, null);
        }
        line("## Warm ingest (handler in one JVM, DynamoDB on moto, SQS on ElasticMQ)");
        line("");
        line("| concurrency | requests | req/s | p50 | p99 |");
        line("|---:|---:|---:|---:|---:|");
        for (int concurrency : new int[] {1, 4, 8}) {
            int requests = 200 * concurrency;
            List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
            long started = System.nanoTime();
            try (ExecutorService pool = Executors.newFixedThreadPool(concurrency)) {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < concurrency; t++) {
                    futures.add(pool.submit(() -> {
                        for (int i = 0; i < 200; i++) {
                            long t0 = System.nanoTime();
                            int status = handler.handleRequest(event, null).getStatusCode();
                            latencies.add((System.nanoTime() - t0) / 1e6);
                            if (status != 202) {
                                throw new IllegalStateException("ingest answered " + status);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> future : futures) {
                    future.get();
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            Stats stats = Stats.of(latencies);
            line("| %d | %d | %.0f | %.1f ms | %.1f ms |".formatted(concurrency, requests, requests / seconds, stats.median(), stats.percentile(99)));
        }
        line("");
        // The same three calls the service makes, bare: what the handler adds on top is validation, JSON and wiring.
        DynamoDbClient dynamo = clients.dynamoDb();
        SqsClient sqs = clients.sqs();
        String table = env.get("TABLE_NAME");
        SqsMessageQueue queue = new SqsMessageQueue(sqs, env.get("QUEUE_URL"));
        List<Double> bare = new ArrayList<>();
        List<Double> full = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            long t0 = System.nanoTime();
            String id = UUID.randomUUID().toString();
            dynamo.putItem(b -> b.tableName(table).item(Map.of("id", AttributeValue.fromS(id), "status", AttributeValue.fromS("PENDING"))));
            queue.enqueue(new QueuedMessage(id, "sales", "slack"));
            dynamo.updateItem(b -> b.tableName(table).key(Map.of("id", AttributeValue.fromS(id)))
                    .updateExpression("SET #s = :q").expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(Map.of(":q", AttributeValue.fromS("QUEUED"))));
            bare.add((System.nanoTime() - t0) / 1e6);
            long t1 = System.nanoTime();
            handler.handleRequest(event, null);
            full.add((System.nanoTime() - t1) / 1e6);
        }
        Stats bareStats = Stats.of(bare);
        Stats fullStats = Stats.of(full);
        line("Handler overhead over its bare SDK calls (PutItem + SendMessage + UpdateItem), 300 alternating runs: "
                + "handler p50 %.2f ms, bare p50 %.2f ms, overhead %.2f ms (%.0f%%).".formatted(fullStats.median(), bareStats.median(),
                fullStats.median() - bareStats.median(), 100 * (fullStats.median() - bareStats.median()) / bareStats.median()));
        line("");
    }

    private void dispatchThroughput(TestStack stack, Map<String, String> env) throws Exception {
        AwsClients clients = Emulators.get().clients();
        DispatchHandler handler = new DispatchHandler(DispatchWiring.fromEnvironment(env, clients, Clock.systemUTC()), Clock.systemUTC());
        // Drop what the cold-start runs left behind, then queue a fresh load.
        stack.sqs().purgeQueue(b -> b.queueUrl(stack.queueUrl()));
        int count = 300;
        SqsMessageQueue queue = new SqsMessageQueue(stack.sqs(), stack.queueUrl());
        for (int i = 0; i < count; i++) {
            Message message = Message.pending(UUID.randomUUID().toString(), "sales", "slack", "message " + i, Instant.now());
            stack.repository().create(message);
            queue.enqueue(QueuedMessage.of(message));
        }
        SqsEventSource source = new SqsEventSource(stack.sqs(), stack.queueUrl(), clients.region().id(), 10);
        long started = System.nanoTime();
        SqsEventSource.Poll poll = source.drain(event -> handler.handleRequest(event, null), 1000);
        double seconds = (System.nanoTime() - started) / 1e9;
        line("## Dispatch throughput (one dispatcher, batches of 10, Slack stand-in answering at once, pacing off)");
        line("");
        line("%d messages delivered in %.1f s: %.0f messages/s (%d batch failures).".formatted(poll.deleted(), seconds,
                poll.deleted() / seconds, poll.failed()));
        line("");
    }

    private void line(String text) {
        System.out.println(text);
        report.append(text).append('\n');
    }

    private static final class CountingStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
