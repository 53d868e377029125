package com.landbot.router.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.landbot.router.testing.FunctionEnvironment;
import com.landbot.router.dispatch.DispatchHandler;
import com.landbot.router.dispatch.DispatchWiring;
import com.landbot.router.ingest.IngestHandler;
import com.landbot.router.local.LocalStackProcess;
import com.landbot.router.shared.AwsClients;
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
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * bench/run: artifact sizes, cold starts (a fresh JVM per run under the Runtime Interface Emulator, beside a
 * hello-world handler measured the same way in the same run, so the ratio survives a noisy machine) with what
 * each start-up choice saves, warm ingest latency and throughput through the local stack's HTTP API with the
 * handler's overhead over its bare SDK calls, and dispatch throughput with a Slack stand-in that answers at
 * once. Prints one set of tables and writes it to bench/results.md.
 */
public final class Benchmark {

    private final StringBuilder report = new StringBuilder();

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        new Benchmark().run(runs);
        System.exit(0);
    }

    void run(int runs) throws Exception {
        long started = System.nanoTime();
        line("# Benchmark results");
        line("");
        // The load when the run starts: on a shared machine it says how far to trust the absolute figures.
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        line("Run " + ZonedDateTime.now().withNano(0) + " on " + Runtime.getRuntime().availableProcessors()
                + " cores (load average " + String.format(java.util.Locale.ROOT, "%.1f", load) + " at the start), JVM "
                + System.getProperty("java.version") + ", " + runs + " cold starts per row. Rerun: `bench/run`.");
        line("");
        sizes();
        try (TestStack stack = TestStack.create(); SlackStub slack = SlackStub.start()) {
            Map<String, String> env = environment(stack, slack);
            coldStarts(runs, stack, env);
            warmIngest(env);
            dispatchThroughput(stack, env);
        }
        line("The benchmark took %.1f min (the build before it not included).".formatted((System.nanoTime() - started) / 60e9));
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

    /** One cold-start row: a built artifact, its handler, the event of its first invoke and its environment. */
    private record Row(String name, Path artifact, String handler, Map<String, String> env, Supplier<String> event,
                       String expected) {

        /** The JVM options the function's JVM gets: its own JAVA_TOOL_OPTIONS, else the template's. */
        String toolOptions() {
            return env.getOrDefault("JAVA_TOOL_OPTIONS", SHIPPED_TOOL_OPTIONS);
        }
    }

    private record ColdStart(double wallMillis, double cpuMillis) {
    }

    /** template.yaml: what the functions' JVMs start with (both list the same JAVA_TOOL_OPTIONS), in AWS and here. */
    private static final String SHIPPED_TOOL_OPTIONS = TemplateDefinitions.javaToolOptions("IngestFunction");

    /** Keys of the emulators, which accept any: the credentials variant passes these on a command line, never real ones. */
    private static final String EMULATOR_KEY = "testing";

    private void coldStarts(int runs, TestStack stack, Map<String, String> env) throws Exception {
        Path ingest = RuntimeInterfaceEmulator.samBuild("IngestFunction");
        Path dispatch = RuntimeInterfaceEmulator.samBuild("DispatchFunction");
        String ingestHandler = TemplateDefinitions.handler("IngestFunction");
        String dispatchHandler = TemplateDefinitions.handler("DispatchFunction");
        String accepted = "\"statusCode\":202";
        String delivered = "\"batchItemFailures\":[]";
        // The JVM's own default: tiered compilation up to C2 (the flag restates the default, so both runs print
        // the same "Picked up JAVA_TOOL_OPTIONS" line).
        Map<String, String> defaultJit = with(env, Map.of("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation"));
        // No AWS_* keys in the environment, so AwsClients falls back to the SDK's default provider chain, which
        // finds the keys at its first step (system properties). In Lambda it would stop at its second step (the
        // environment variables): this is the least the chain can cost.
        Map<String, String> providerChain = new HashMap<>(env);
        List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN").forEach(providerChain::remove);
        providerChain.put("JAVA_TOOL_OPTIONS", SHIPPED_TOOL_OPTIONS
                + " -Daws.accessKeyId=" + EMULATOR_KEY + " -Daws.secretAccessKey=" + EMULATOR_KEY);

        Row hello = new Row("hello-world", hello(), "com.landbot.router.bench.hello.HelloHandler::handleRequest", env, () -> "{}", null);
        Row ingestRow = new Row("ingest (POST sales)", ingest, ingestHandler, env, Benchmark::ingestEvent, accepted);
        Row sales = new Row("dispatch (SQS batch, 1 sales)", dispatch, dispatchHandler, env,
                () -> dispatchEvent(stack, "sales", "slack"), delivered);
        // A pricing-only container never loads slack-api-client: the difference to the row above is its cost.
        Row pricing = new Row("dispatch (SQS batch, 1 pricing)", dispatch, dispatchHandler, env,
                () -> dispatchEvent(stack, "pricing", "email"), delivered);
        Row ingestDefaultJit = new Row("ingest, JVM default JIT", ingest, ingestHandler, defaultJit, Benchmark::ingestEvent, accepted);
        Row salesDefaultJit = new Row("dispatch sales, JVM default JIT", dispatch, dispatchHandler, defaultJit,
                () -> dispatchEvent(stack, "sales", "slack"), delivered);
        Row ingestProviderChain = new Row("ingest, default credentials chain", ingest, ingestHandler, providerChain,
                Benchmark::ingestEvent, accepted);
        List<Row> rows = List.of(hello, ingestRow, sales, pricing, ingestDefaultJit, salesDefaultJit, ingestProviderChain);

        // Classes loaded up to the first response: one untimed run per row (logging every load costs CPU).
        Map<Row, Long> classes = new HashMap<>();
        for (Row row : rows) {
            classes.put(row, classesLoaded(row));
        }
        System.out.println("class counts done");
        Map<Row, List<ColdStart>> results = new LinkedHashMap<>();
        rows.forEach(row -> results.put(row, new ArrayList<>()));
        // Interleaved, so a slow stretch of the machine hits every row alike.
        for (int run = 0; run < runs; run++) {
            for (Row row : rows) {
                results.get(row).add(coldStart(row, row.env(), null));
            }
            System.out.printf("cold start run %d/%d done%n", run + 1, runs);
        }
        double baseline = cpu(results.get(hello)).median();
        line("## Cold start (fresh JVM under aws-lambda-rie, process start to first successful response)");
        line("");
        line("| function | wall median | wall min-max | CPU median | CPU min-max | CPU vs hello-world | classes loaded |");
        line("|---|---:|---:|---:|---:|---:|---:|");
        for (Row row : List.of(hello, ingestRow, sales, pricing)) {
            Stats wall = Stats.of(results.get(row).stream().map(ColdStart::wallMillis).toList());
            Stats cpu = cpu(results.get(row));
            line("| %s | %.0f ms | %.0f-%.0f ms | %.0f ms | %.0f-%.0f ms | %.1fx | %d |".formatted(row.name(),
                    wall.median(), wall.min(), wall.max(), cpu.median(), cpu.min(), cpu.max(), cpu.median() / baseline,
                    classes.get(row)));
        }
        line("");
        line("CPU is the function JVM's user+system time up to the first response (all threads); wall includes the emulator's start. "
                + "Classes: loaded up to the first response, counted in one extra run per row with `-Xlog:class+load`.");
        line("");

        line("## What each change bought (cold-start CPU, same runs, interleaved with the rows above)");
        line("");
        line("| change (shipped) | measured on | shipped | without the change | CPU it saves | runs where shipped used less CPU | classes loaded, shipped / without |");
        line("|---|---|---:|---:|---:|---:|---:|");
        String jit = "C1 only: `" + SHIPPED_TOOL_OPTIONS + "` vs the JVM default (C1 + C2)";
        change(jit, "ingest (POST sales)", ingestRow, ingestDefaultJit, results, classes, baseline);
        change(jit, "dispatch (1 sales)", sales, salesDefaultJit, results, classes, baseline);
        change("credentials from the `AWS_*` variables (AwsClients) vs the SDK's default provider chain", "ingest (POST sales)",
                ingestRow, ingestProviderChain, results, classes, baseline);
        change("Slack client built on the first Slack message (SlackChannel) vs a container that builds it",
                "dispatch: pricing batch vs sales batch", pricing, sales, results, classes, baseline);
        line("");
        line("CPU medians, ratio to hello-world in brackets. JIT rows, without: `JAVA_TOOL_OPTIONS=-XX:+TieredCompilation` (the JVM's default). "
                + "Credentials row, without: the keys taken out of the environment and given as `-Daws.accessKeyId`/`-Daws.secretAccessKey`, "
                + "so AwsClients uses the default chain and the chain stops at its first step (in Lambda it would stop at its second, "
                + "the environment): the least the chain costs. Slack row: the sales batch also posts to Slack where the pricing batch "
                + "sends an SES email.");
        line("Not measured (each needs another build of the functions): the URL-connection HTTP client instead of Apache or Netty, "
                + "Secrets Manager clients built on first use.");
        line("");
    }

    private void change(String change, String measuredOn, Row shipped, Row without, Map<Row, List<ColdStart>> results,
                        Map<Row, Long> classes, double baseline) {
        List<ColdStart> shippedRuns = results.get(shipped);
        List<ColdStart> withoutRuns = results.get(without);
        double shippedCpu = cpu(shippedRuns).median();
        double withoutCpu = cpu(withoutRuns).median();
        // Run i of both rows ran in the same round: a paired count says whether the difference beats the noise.
        long lower = IntStream.range(0, shippedRuns.size())
                .filter(i -> shippedRuns.get(i).cpuMillis() < withoutRuns.get(i).cpuMillis()).count();
        line("| %s | %s | %.0f ms (%.1fx) | %.0f ms (%.1fx) | %.0f ms | %d/%d | %d / %d |".formatted(change, measuredOn,
                shippedCpu, shippedCpu / baseline, withoutCpu, withoutCpu / baseline, withoutCpu - shippedCpu,
                lower, shippedRuns.size(), classes.get(shipped), classes.get(without)));
    }

    private static Stats cpu(List<ColdStart> runs) {
        return Stats.of(runs.stream().map(ColdStart::cpuMillis).toList());
    }

    private static Map<String, String> with(Map<String, String> env, Map<String, String> overrides) {
        Map<String, String> result = new HashMap<>(env);
        result.putAll(overrides);
        return result;
    }

    private long classesLoaded(Row row) throws Exception {
        Path log = Files.createTempFile("bench-classes-", ".log");
        try {
            // No decorations: one line per class.
            Map<String, String> env = with(row.env(), Map.of("JAVA_TOOL_OPTIONS",
                    row.toolOptions() + " -Xlog:class+load=info:file=" + log + ":none"));
            coldStart(row, env, log);
            try (Stream<String> lines = Files.lines(log)) {
                return lines.filter(l -> !l.isBlank()).count();
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private ColdStart coldStart(Row row, Map<String, String> env, Path classLog) throws Exception {
        String event = row.event().get();
        long started = System.nanoTime();
        try (RuntimeInterfaceEmulator function = RuntimeInterfaceEmulator.start(row.artifact(), row.handler(), env)) {
            String response = function.invoke(event);
            double wall = (System.nanoTime() - started) / 1e6;
            ProcessHandle jvm = function.process().descendants()
                    .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no java process under the emulator"));
            double cpu = jvm.info().totalCpuDuration().orElseThrow().toNanos() / 1e6;
            if (row.expected() != null && !response.contains(row.expected())) {
                throw new IllegalStateException("unexpected response from " + row.name() + ": " + response + "\n" + function.log());
            }
            // The JVM prints the options it picked up: proof that the variant reached the function's JVM.
            String options = classLog != null ? env.get("JAVA_TOOL_OPTIONS") : row.toolOptions();
            if (!function.log().contains("Picked up JAVA_TOOL_OPTIONS: " + options)) {
                throw new IllegalStateException(row.name() + ": the function's JVM did not pick up '" + options + "'\n" + function.log());
            }
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

    /** Per concurrency level, split over its clients: enough for a p99, little enough for a shared machine. */
    private static final int REQUESTS_PER_LEVEL = 400;

    private void warmIngest(Map<String, String> env) throws Exception {
        String body = Events.load("post-sales.json", APIGatewayV2HTTPEvent.class).getBody();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
        Path built = ProjectPaths.root().resolve("local-stack/target");
        String classpath = built.resolve("classes") + File.pathSeparator + built.resolve("lib") + File.separator + "*";
        try (LocalStackProcess local = LocalStackProcess.start(Map.of(), classpath, null).awaitReady(Duration.ofSeconds(120))) {
            HttpRequest post = HttpRequest.newBuilder(local.api().resolve("/messages"))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + FunctionEnvironment.LOCAL_DEV_TOKEN)
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
            // Warm-up: the stack's JIT, connections, moto's tables.
            load(http, post, 4, 100);
            line("## Warm ingest through the local HTTP API (`scripts/run-local`: HttpApiGateway in front of IngestHandler, DynamoDB on moto, SQS on ElasticMQ)");
            line("");
            line("| concurrency | requests | req/s | p50 | p99 | CPU per request: stack JVM | CPU per request: moto |");
            line("|---:|---:|---:|---:|---:|---:|---:|");
            for (int concurrency : new int[] {1, 4, 8}) {
                Duration jvm0 = local.jvmCpu();
                Duration moto0 = local.motoCpu();
                long started = System.nanoTime();
                List<Double> latencies = load(http, post, concurrency, REQUESTS_PER_LEVEL / concurrency);
                double seconds = (System.nanoTime() - started) / 1e9;
                double jvmMillis = local.jvmCpu().minus(jvm0).toNanos() / 1e6;
                double motoMillis = local.motoCpu().minus(moto0).toNanos() / 1e6;
                int requests = latencies.size();
                Stats stats = Stats.of(latencies);
                line("| %d | %d | %.0f | %.1f ms | %.1f ms | %.1f ms | %.1f ms |".formatted(concurrency, requests, requests / seconds,
                        stats.median(), stats.percentile(99), jvmMillis / requests, motoMillis / requests));
            }
        }
        line("");
        line("`POST /messages` (the body of events/post-sales.json, `Authorization: Bearer " + FunctionEnvironment.LOCAL_DEV_TOKEN
                + "`) over `java.net.http.HttpClient`, each client sending its share of " + REQUESTS_PER_LEVEL + " requests one after another "
                + "after a warm-up of 400; latency is request sent to answer read, every answer a 202. The stack runs as `make run` runs it (C1 only); its dispatcher drains the same queue meanwhile "
                + "at the default Slack pacing (1 message/s). Stack JVM CPU includes the local API Gateway and ElasticMQ.");
        line("");
        handlerOverhead(env);
    }

    /** {@code concurrency} clients each sending {@code perClient} requests in turn; the latencies of all of them. */
    private static List<Double> load(HttpClient http, HttpRequest post, int concurrency, int perClient) throws Exception {
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService pool = Executors.newFixedThreadPool(concurrency)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < concurrency; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perClient; i++) {
                        long t0 = System.nanoTime();
                        HttpResponse<String> response = http.send(post, HttpResponse.BodyHandlers.ofString());
                        latencies.add((System.nanoTime() - t0) / 1e6);
                        if (response.statusCode() != 202) {
                            throw new IllegalStateException("POST /messages answered " + response.statusCode() + ": " + response.body());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        }
        return latencies;
    }

    /** The handler in this JVM against the same three calls bare: what it adds is validation, JSON and wiring. */
    private void handlerOverhead(Map<String, String> env) {
        AwsClients clients = Emulators.get().clients();
        IngestHandler handler = new IngestHandler(env, clients);
        APIGatewayV2HTTPEvent event = Events.fromJson(ingestEvent(), APIGatewayV2HTTPEvent.class);
        for (int i = 0; i < 50; i++) {
            handler.handleRequest(event, null);
        }
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
            int status = handler.handleRequest(event, null).getStatusCode();
            full.add((System.nanoTime() - t1) / 1e6);
            if (status != 202) {
                throw new IllegalStateException("ingest answered " + status);
            }
        }
        Stats bareStats = Stats.of(bare);
        Stats fullStats = Stats.of(full);
        line("Handler overhead over its bare SDK calls (PutItem + SendMessage + UpdateItem), in the bench's JVM without HTTP, 300 alternating runs: "
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
