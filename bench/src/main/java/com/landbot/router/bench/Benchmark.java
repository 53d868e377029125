package com.landbot.router.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.landbot.router.emulators.FunctionEnvironment;
import com.landbot.router.dispatch.DispatchHandler;
import com.landbot.router.dispatch.DispatchWiring;
import com.landbot.router.ingest.IngestHandler;
import com.landbot.router.local.LocalStackProcess;
import com.landbot.router.shared.AwsClients;
import com.landbot.router.shared.Message;
import com.landbot.router.shared.QueuedMessage;
import com.landbot.router.shared.SqsMessageQueue;
import com.landbot.router.emulators.Emulators;
import com.landbot.router.emulators.Events;
import com.landbot.router.emulators.LambdaJvm;
import com.landbot.router.emulators.ProjectPaths;
import com.landbot.router.emulators.RuntimeInterfaceEmulator;
import com.landbot.router.emulators.SlackStub;
import com.landbot.router.emulators.TemplateDefinitions;
import com.landbot.router.emulators.TestStack;
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
 * bench/run: artifact sizes; cold starts, each a fresh JVM under the Runtime Interface Emulator started as Lambda
 * starts it ({@link LambdaJvm}: its flags for the template's memory size), on java25 and java21 side by side, beside
 * today's figures (the JDK's defaults) and two baselines measured the same way in the same run (a hello-world
 * handler, a bare main), so ratios survive a noisy machine; the first request after SnapStart priming against a
 * cold one; what each change bought; warm ingest latency and throughput through the local stack's HTTP API with
 * the handler's overhead over its bare SDK calls; dispatch throughput with a Slack stand-in that answers at once.
 * Prints one set of tables and writes it to bench/results.md.
 */
public final class Benchmark {

    private final StringBuilder report = new StringBuilder();

    private static final String TRACING_SECTION = "## Tracing and credentials cost";

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        try {
            new Benchmark().run(runs);
        } catch (Exception | Error e) {
            // The emulators' threads would keep the JVM alive after a failure: end it.
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    void run(int runs) throws Exception {
        long started = System.nanoTime();
        line("# Benchmark results");
        line("");
        // The load when the run starts: on a shared machine it says how far to trust the absolute figures.
        double load = loadAverage();
        line("Run " + ZonedDateTime.now().withNano(0) + " on " + Runtime.getRuntime().availableProcessors()
                + " cores (load average " + String.format(java.util.Locale.ROOT, "%.1f", load) + " at the start), JVM "
                + System.getProperty("java.version") + ", " + runs + " cold starts per row. Rerun: `bench/run`.");
        line("");
        sizes();
        try (TestStack stack = TestStack.create(); SlackStub slack = SlackStub.start()) {
            Map<String, String> env = environment(stack, slack);
            coldStarts(runs, stack, env);
            priming(runs, stack, env);
            changes(runs);
            warmIngest(env);
            dispatchThroughput(stack, env);
        }
        line("The benchmark took %.1f min (the build before it not included).".formatted((System.nanoTime() - started) / 60e9));
        Path out = ProjectPaths.root().resolve("bench/results.md");
        // bench/tracing-cost prints its tables; the last run of it kept in this file stays at the end.
        String kept = "";
        if (Files.exists(out)) {
            String previous = Files.readString(out);
            int tracing = previous.indexOf(TRACING_SECTION);
            kept = tracing < 0 ? "" : "\n" + previous.substring(tracing);
        }
        Files.writeString(out, report + kept);
        System.out.println("\nwritten to " + out);
    }

    /**
     * The functions' environment as deployed: the bot's and the operators' credentials and the sales webhook in
     * Secrets Manager (moto), under the template's default names, not in variables (AUTH_TOKENS, ADMIN_TOKENS,
     * SLACK_WEBHOOK_URL are local conveniences); so each cold start builds the Secrets Manager client and reads.
     */
    private Map<String, String> environment(TestStack stack, SlackStub slack) {
        Map<String, String> env = new HashMap<>(stack.functionEnvironment());
        env.remove("AUTH_TOKENS");
        env.remove("ADMIN_TOKENS");
        env.remove("SLACK_WEBHOOK_URL");
        try (var secrets = Emulators.get().clients().build(software.amazon.awssdk.services.secretsmanager.SecretsManagerClient.builder(), "SECRETS_MANAGER")) {
            Map<String, String> values = Map.of(
                    TemplateDefinitions.parameterDefault("AuthSecretName"), "{\"current\":\"" + FunctionEnvironment.LOCAL_DEV_TOKEN + "\"}",
                    TemplateDefinitions.parameterDefault("AdminSecretName"), "{\"current\":\"" + FunctionEnvironment.LOCAL_ADMIN_TOKEN + "\"}",
                    TemplateDefinitions.parameterDefault("SlackWebhookSecretName"), slack.webhookUrl());
            values.forEach((name, value) -> {
                try {
                    secrets.createSecret(b -> b.name(name).secretString(value));
                } catch (software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException e) {
                    secrets.putSecretValue(b -> b.secretId(name).secretString(value));
                }
            });
        }
        env.put("AUTH_SECRET_NAME", TemplateDefinitions.parameterDefault("AuthSecretName"));
        env.put("ADMIN_AUTH_SECRET_NAME", TemplateDefinitions.parameterDefault("AdminSecretName"));
        env.put("SENDER_ADDRESS", "router@example.com");
        // SES (and moto) refuse an unverified sender: the pricing rows must measure a real send.
        try (var ses = Emulators.get().clients().build(software.amazon.awssdk.services.ses.SesClient.builder(), "SES")) {
            ses.verifyEmailIdentity(b -> b.emailAddress("router@example.com"));
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
        // The same jars as Maven writes them (deflated one class at a time), before the Makefiles' StoreJars.
        size("IngestFunction, deflated jars", ProjectPaths.root().resolve("ingest-function/target/lambda"));
        size("DispatchFunction, deflated jars", ProjectPaths.root().resolve("dispatch-function/target/lambda"));
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
        zippedSizes.put(name, zipped.count / 1e6);
    }

    private final Map<String, Double> zippedSizes = new LinkedHashMap<>();

    private static Path hello() {
        return ProjectPaths.root().resolve("bench/probes/target/hello");
    }

    // ---------------------------------------------------------------- cold starts

    /**
     * One cold-start row: a JVM started as {@code jvm} says, running a built function under the emulator (its
     * handler, the event of its first invoke, its environment), or, with no handler, the bare main.
     */
    private record Row(String name, LambdaJvm jvm, Path artifact, String handler, Map<String, String> env,
                       Supplier<String> event, String expected) {

        boolean bareMain() {
            return handler == null;
        }
    }

    /** The five rows of one way of starting the JVM, in the order of the tables. */
    private record RowSet(String label, Row main, Row hello, Row helloStream, Row ingest, Row sales, Row pricing) {

        List<Row> all() {
            return List.of(main, hello, helloStream, ingest, sales, pricing);
        }
    }

    private record ColdStart(double wallMillis, double cpuMillis) {
    }

    /** template.yaml: the C1 cap both functions' JAVA_TOOL_OPTIONS give their JVMs, in AWS and here. */
    private static final String SHIPPED_TOOL_OPTIONS = TemplateDefinitions.javaToolOptions("IngestFunction");

    private static final String HELLO_HANDLER = "com.landbot.router.bench.probes.HelloHandler::handleRequest";
    private static final String HELLO_STREAM_HANDLER = "com.landbot.router.bench.probes.HelloStreamHandler::handleRequest";

    private RowSet rows(String label, LambdaJvm jvm, Path ingest, Path dispatch, Map<String, String> env, TestStack stack) {
        String ingestHandler = TemplateDefinitions.handler("IngestFunction");
        String dispatchHandler = TemplateDefinitions.handler("DispatchFunction");
        return new RowSet(label,
                new Row("bare main", jvm, null, null, env, () -> "", null),
                new Row("hello-world handler", jvm, hello(), HELLO_HANDLER, env, () -> "{}", null),
                new Row("hello-world stream handler", jvm, hello(), HELLO_STREAM_HANDLER, env, () -> "{}", null),
                new Row("ingest (POST sales)", jvm, ingest, ingestHandler, env, Benchmark::ingestEvent, ACCEPTED),
                new Row("dispatch (SQS batch, 1 sales)", jvm, dispatch, dispatchHandler, env,
                        () -> dispatchEvent(stack, "sales", "slack"), DELIVERED),
                // A pricing-only container never loads slack-api-client: the difference to the row above is its cost.
                new Row("dispatch (SQS batch, 1 pricing)", jvm, dispatch, dispatchHandler, env,
                        () -> dispatchEvent(stack, "pricing", "email"), DELIVERED));
    }

    private static final String ACCEPTED = "\"statusCode\":202";
    private static final String DELIVERED = "\"batchItemFailures\":[]";

    private Map<Row, List<ColdStart>> results;
    private Map<Row, Long> classes;

    private void coldStarts(int runs, TestStack stack, Map<String, String> env) throws Exception {
        int memory = LambdaJvm.templateMemorySize();
        LambdaJvm java25 = LambdaJvm.lambda("java25", memory);
        LambdaJvm java21 = LambdaJvm.lambda("java21", memory);
        LambdaJvm today = LambdaJvm.plain(java25.javaHome(), memory);
        Path ingest25 = RuntimeInterfaceEmulator.samBuild("IngestFunction");
        Path dispatch25 = RuntimeInterfaceEmulator.samBuild("DispatchFunction");

        RowSet faithful25 = rows("java25", java25, ingest25, dispatch25, env, stack);
        RowSet faithful21 = rows("java21", java21, java21Build("IngestFunction"), java21Build("DispatchFunction"), env, stack);
        RowSet todays = rows("today", today, ingest25, dispatch25, with(env, Map.of("JAVA_TOOL_OPTIONS", SHIPPED_TOOL_OPTIONS)), stack);
        Row fullSlack = new Row("dispatch (1 sales), whole Slack jars", java25, dispatchWithWholeSlackJars(dispatch25),
                TemplateDefinitions.handler("DispatchFunction"), env, () -> dispatchEvent(stack, "sales", "slack"), DELIVERED);
        // The functions as they were before two changes: through the runtime's event serialiser; with deflated jars.
        Row ingestPojo = new Row("ingest (POST sales), through the runtime's serialiser", java25, pojoVariant(ingest25, "ingest-pojo"),
                PojoAdapters.Ingest.class.getName() + "::handleRequest", env, Benchmark::ingestEvent, ACCEPTED);
        Row salesPojo = new Row("dispatch (1 sales), through the runtime's serialiser", java25, pojoVariant(dispatch25, "dispatch-pojo"),
                PojoAdapters.Dispatch.class.getName() + "::handleRequest", env, () -> dispatchEvent(stack, "sales", "slack"), DELIVERED);
        Row ingestDeflated = new Row("ingest (POST sales), deflated jars", java25, deflatedVariant("ingest"),
                TemplateDefinitions.handler("IngestFunction"), env, Benchmark::ingestEvent, ACCEPTED);
        Row salesDeflated = new Row("dispatch (1 sales), deflated jars", java25, deflatedVariant("dispatch"),
                TemplateDefinitions.handler("DispatchFunction"), env, () -> dispatchEvent(stack, "sales", "slack"), DELIVERED);
        List<Row> rows = new ArrayList<>();
        rows.addAll(faithful25.all());
        rows.addAll(faithful21.all());
        rows.addAll(todays.all());
        rows.add(fullSlack);
        rows.addAll(List.of(ingestPojo, salesPojo, ingestDeflated, salesDeflated));

        // Classes loaded up to the first response: one untimed run per row (logging every load costs CPU).
        classes = new HashMap<>();
        for (Row row : rows) {
            classes.put(row, classesLoaded(row));
        }
        System.out.println("class counts done");
        results = new LinkedHashMap<>();
        rows.forEach(row -> results.put(row, new ArrayList<>()));
        // Interleaved, so a slow stretch of the machine hits every row alike.
        for (int run = 0; run < runs; run++) {
            for (Row row : rows) {
                results.get(row).add(coldStart(row, null));
            }
            System.out.printf("cold start run %d/%d done (load average %.1f)%n", run + 1, runs, loadAverage());
        }
        line("The cold-start runs ended at a load average of %.1f.".formatted(loadAverage()));
        line("");

        double hello25 = cpu(faithful25.hello()).median();
        double main25 = cpu(faithful25.main()).median();
        line("## Cold start as Lambda starts the JVM: java25, the template's runtime (fresh JVM under aws-lambda-rie, process start to first successful response)");
        line("");
        line("JVM: " + java25.javaHome() + " (" + java25.version() + "), flags `" + String.join(" ", java25.flags()).replace(ProjectPaths.root() + "/", "")
                + "`, as Lambda's managed runtime passes them for " + memory + " MB.");
        line("");
        double helloStream25 = cpu(faithful25.helloStream()).median();
        line("| function | wall median | CPU median | CPU min-max | CPU vs hello-world handler | CPU vs hello-world stream handler | CPU vs bare main | classes loaded |");
        line("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (Row row : faithful25.all()) {
            Stats wall = Stats.of(results.get(row).stream().map(ColdStart::wallMillis).toList());
            Stats cpu = cpu(row);
            line("| %s | %.0f ms | %.0f ms | %.0f-%.0f ms | %.1fx | %.1fx | %.1fx | %d |".formatted(row.name(), wall.median(),
                    cpu.median(), cpu.min(), cpu.max(), cpu.median() / hello25, cpu.median() / helloStream25, cpu.median() / main25, classes.get(row)));
        }
        line("");
        line("Both functions are stream handlers (they read events with shared Json); the hello-world handler is a "
                + "RequestHandler<Map, String>, whose event the runtime interface client reads with its own serialiser, and the "
                + "hello-world stream handler reads its bytes. The functions read their secrets (the bot's credentials, the sales "
                + "webhook) from Secrets Manager (moto), as deployed.");
        line("");
        line("CPU is the function JVM's user+system time up to the first response (all threads; the bare main: up to its line); "
                + "wall includes the emulator's start. Classes: loaded up to the first response, counted in one extra run per row with "
                + "`-Xlog:class+load`. The CDS archive is the JDK's default one made again, as the JDK build makes it: "
                + "`java -Xshare:dump -XX:SharedArchiveFile=...` over the JDK's own class list (lib/classlist), JDK classes only "
                + "(LambdaJvm); `-Xshare:on` makes a JVM that cannot map it fail, so every row used it. The java25 runtime's own "
                + "ahead-of-time cache of the runtime interface client is not reproduced.");
        line("");

        double hello21 = cpu(faithful21.hello()).median();
        line("## java21 and java25 side by side (same flags, same run, interleaved)");
        line("");
        line("java21: " + java21.javaHome() + " (" + java21.version() + "), the functions built again with `-Dmaven.compiler.release=21`; "
                + "the baselines are the same Java 21 classes on both.");
        line("");
        line("| function | java21 CPU median | java25 CPU median | java25 saves | runs where java25 used less CPU | java21 vs its hello-world | java25 vs its hello-world | classes loaded, java21 / java25 |");
        line("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (int i = 0; i < faithful25.all().size(); i++) {
            Row r21 = faithful21.all().get(i);
            Row r25 = faithful25.all().get(i);
            double c21 = cpu(r21).median();
            double c25 = cpu(r25).median();
            line("| %s | %.0f ms | %.0f ms | %.0f ms | %d/%d | %.1fx | %.1fx | %d / %d |".formatted(r25.name(), c21, c25, c21 - c25,
                    lower(r25, r21), runs, c21 / hello21, c25 / hello25, classes.get(r21), classes.get(r25)));
        }
        line("");

        double helloToday = cpu(todays.hello()).median();
        line("## Today's figures beside the faithful ones (java25 artifacts)");
        line("");
        line("Today's: how bench/run started the JVM before: the JDK's own defaults (G1, its default CDS archive, a heap of a "
                + "quarter of this machine's memory) plus the template's `JAVA_TOOL_OPTIONS=" + SHIPPED_TOOL_OPTIONS + "`.");
        line("");
        line("| function | today's CPU median | today's vs hello-world | faithful CPU median | faithful vs hello-world | Lambda's flags save | classes loaded, today's / faithful |");
        line("|---|---:|---:|---:|---:|---:|---:|");
        for (int i = 0; i < faithful25.all().size(); i++) {
            Row t = todays.all().get(i);
            Row f = faithful25.all().get(i);
            double ct = cpu(t).median();
            double cf = cpu(f).median();
            line("| %s | %.0f ms | %.1fx | %.0f ms | %.1fx | %.0f ms | %d / %d |".formatted(f.name(), ct, ct / helloToday, cf,
                    cf / hello25, ct - cf, classes.get(t), classes.get(f)));
        }
        line("");
        slackSubset = new double[] {cpu(fullSlack).median(), cpu(faithful25.sales()).median(), lower(faithful25.sales(), fullSlack),
                classes.get(fullSlack), classes.get(faithful25.sales())};
        java21vs25 = new Row[] {faithful21.ingest(), faithful25.ingest(), faithful21.sales(), faithful25.sales()};
        variants = new Row[][] {
                {ingestPojo, faithful25.ingest()}, {salesPojo, faithful25.sales()},
                {ingestDeflated, faithful25.ingest()}, {salesDeflated, faithful25.sales()},
                {faithful25.hello(), faithful25.helloStream()}};
        coldStartCpu = Map.of("ingest", cpu(faithful25.ingest()).median(), "dispatch", cpu(faithful25.sales()).median());
    }

    /** Figures the "what each change bought" table takes from the cold starts. */
    private double[] slackSubset;
    /** Pairs of rows, before and after a change. */
    private Row[][] variants;
    private Row[] java21vs25;
    private Map<String, Double> coldStartCpu;

    /** How many runs of {@code better} used less CPU than the same round's run of {@code other}. */
    private long lower(Row better, Row other) {
        List<ColdStart> a = results.get(better);
        List<ColdStart> b = results.get(other);
        return IntStream.range(0, a.size()).filter(i -> a.get(i).cpuMillis() < b.get(i).cpuMillis()).count();
    }

    private Stats cpu(Row row) {
        return Stats.of(results.get(row).stream().map(ColdStart::cpuMillis).toList());
    }

    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** The same functions with Java 21 bytecode: bench/run builds them into .aws-sam/java21/. */
    private static Path java21Build(String logicalId) {
        Path artifact = ProjectPaths.root().resolve(".aws-sam/java21").resolve(logicalId);
        if (!Files.isDirectory(artifact.resolve("lib"))) {
            throw new IllegalStateException(artifact + " has no lib/: bench/run builds it");
        }
        return artifact;
    }

    /** The dispatch artifact with slack-api-client and slack-api-model whole instead of their webhook subset. */
    private static Path dispatchWithWholeSlackJars(Path dispatch) throws IOException {
        Path lib = variantLib("dispatch-whole-slack");
        copyJars(dispatch.resolve("lib"), lib, jar -> !jar.getFileName().toString().endsWith("-slack-webhook.jar"));
        copyJars(ProjectPaths.root().resolve("bench/target/lib"), lib,
                jar -> jar.getFileName().toString().matches("slack-api-(client|model)-.*\\.jar"));
        return lib.getParent();
    }

    /**
     * A function's artifact with the {@link PojoAdapters} in front of its handler (a jar of their classes, from this
     * module) and Joda, which the runtime interface client's event serialiser loads: the function as it was shipped
     * before it read its events itself.
     */
    private static Path pojoVariant(Path function, String name) throws IOException {
        Path lib = variantLib(name);
        copyJars(function.resolve("lib"), lib, jar -> true);
        copyJars(ProjectPaths.root().resolve("bench/target/lib"), lib, jar -> jar.getFileName().toString().startsWith("joda-time-"));
        Path classes = ProjectPaths.root().resolve("bench/target/classes");
        try (java.util.jar.JarOutputStream jar = new java.util.jar.JarOutputStream(Files.newOutputStream(lib.resolve("pojo-adapters.jar")))) {
            try (Stream<Path> files = Files.list(classes.resolve("com/landbot/router/bench"))) {
                for (Path file : files.filter(f -> f.getFileName().toString().startsWith("PojoAdapters")).sorted().toList()) {
                    jar.putNextEntry(new ZipEntry(classes.relativize(file).toString()));
                    Files.copy(file, jar);
                    jar.closeEntry();
                }
            }
        }
        return lib.getParent();
    }

    /** The jars Maven built for a function (target/lambda/lib), deflated as Maven writes them: before StoreJars. */
    private static Path deflatedVariant(String function) throws IOException {
        Path lib = variantLib(function + "-deflated");
        copyJars(ProjectPaths.root().resolve(function + "-function/target/lambda/lib"), lib, jar -> true);
        return lib.getParent();
    }

    private static Path variantLib(String name) throws IOException {
        Path lib = ProjectPaths.root().resolve("bench/target/variants").resolve(name).resolve("lib");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> old = Files.list(lib)) {
                for (Path jar : old.toList()) {
                    Files.delete(jar);
                }
            }
        }
        Files.createDirectories(lib);
        return lib;
    }

    private static void copyJars(Path from, Path to, java.util.function.Predicate<Path> which) throws IOException {
        try (Stream<Path> jars = Files.list(from)) {
            for (Path jar : jars.filter(j -> j.toString().endsWith(".jar")).filter(which).toList()) {
                Files.copy(jar, to.resolve(jar.getFileName()));
            }
        }
    }

    private static List<String> with(List<String> flags, String flag) {
        List<String> result = new ArrayList<>(flags);
        result.add(flag);
        return result;
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
            List<String> flags = new ArrayList<>(row.jvm().flags());
            flags.add("-Xlog:class+load=info:file=" + log + ":none");
            coldStart(row, row.jvm().withFlags(flags));
            try (Stream<String> lines = Files.lines(log)) {
                return lines.filter(l -> !l.isBlank()).count();
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private ColdStart coldStart(Row row, LambdaJvm jvmOverride) throws Exception {
        LambdaJvm jvm = jvmOverride != null ? jvmOverride : row.jvm();
        if (row.bareMain()) {
            return bareMain(jvm);
        }
        String event = row.event().get();
        long started = System.nanoTime();
        try (RuntimeInterfaceEmulator function = RuntimeInterfaceEmulator.start(jvm, row.artifact(), row.handler(), row.env())) {
            String response = function.invoke(event);
            double wall = (System.nanoTime() - started) / 1e6;
            double cpu = jvmOf(function.process()).info().totalCpuDuration().orElseThrow().toNanos() / 1e6;
            if (row.expected() != null && !response.contains(row.expected())) {
                throw new IllegalStateException("unexpected response from " + row.name() + ": " + response + "\n" + function.log());
            }
            // The JVM prints the options it picked up: proof that the variant reached the function's JVM.
            String options = row.env().get("JAVA_TOOL_OPTIONS");
            if (options != null && !function.log().contains("Picked up JAVA_TOOL_OPTIONS: " + options)) {
                throw new IllegalStateException(row.name() + ": the function's JVM did not pick up '" + options + "'\n" + function.log());
            }
            return new ColdStart(wall, cpu);
        }
    }

    private static ProcessHandle jvmOf(ProcessHandle emulator) {
        return emulator.descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .findFirst().orElseThrow(() -> new IllegalStateException("no java process under the emulator"));
    }

    /** The bare main, from process start to its line; its CPU read while it waits for its input to close. */
    private static ColdStart bareMain(LambdaJvm jvm) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(jvm.java().toString());
        command.addAll(jvm.flags());
        command.addAll(List.of("-cp", probesJar().toString(), "com.landbot.router.bench.probes.HelloMain"));
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
            String line = out.readLine();
            double wall = (System.nanoTime() - started) / 1e6;
            double cpu = process.toHandle().info().totalCpuDuration().orElseThrow().toNanos() / 1e6;
            if (!"hello".equals(line)) {
                throw new IllegalStateException("the bare main printed " + line);
            }
            process.getOutputStream().close();
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            return new ColdStart(wall, cpu);
        }
    }

    private static Path probesJar() {
        try (Stream<Path> jars = Files.list(ProjectPaths.root().resolve("bench/probes/target"))) {
            return jars.filter(j -> j.getFileName().toString().matches("bench-probes-[^-]+(-SNAPSHOT)?\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("bench/probes has no jar: bench/run builds it"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- priming

    /**
     * SnapStart restores a JVM whose init and priming already ran, so what is left is the first request. FirstRequest
     * (bench/probes) runs it in a fresh JVM on the built artifact, once with the handler's priming hook called as
     * SnapStart calls it and once without, interleaved, with the flags of a SnapStart function (no C1 cap).
     */
    private void priming(int runs, TestStack stack, Map<String, String> env) throws Exception {
        // After a restore no connection of the snapshot is usable: every call opens its own, primed or not.
        // Shipped: Lambda's flags with the template's C1 cap; the other: the java25 runtime's SnapStart default (C2 kept).
        LambdaJvm lambda = LambdaJvm.ofTemplate();
        LambdaJvm jvm = lambda.withFlags(with(lambda.flags(), "-Dhttp.keepAlive=false"));
        LambdaJvm snapStart = lambda.withSnapStart();
        LambdaJvm fullTiered = snapStart.withFlags(with(snapStart.flags(), "-Dhttp.keepAlive=false"));
        record Probe(String name, String function, Path artifact, String handler, String eventClass, Supplier<String> event, String expected) {
        }
        List<Probe> probes = List.of(
                new Probe("ingest (POST sales)", "ingest", RuntimeInterfaceEmulator.samBuild("IngestFunction"),
                        TemplateDefinitions.handler("IngestFunction"), APIGatewayV2HTTPEvent.class.getName(), Benchmark::ingestEvent, ACCEPTED),
                new Probe("dispatch (SQS batch, 1 sales)", "dispatch", RuntimeInterfaceEmulator.samBuild("DispatchFunction"),
                        TemplateDefinitions.handler("DispatchFunction"), SQSEvent.class.getName(),
                        () -> dispatchEvent(stack, "sales", "slack"), DELIVERED));
        Map<String, List<double[]>> measured = new LinkedHashMap<>();
        for (int run = 0; run < runs; run++) {
            for (Probe probe : probes) {
                for (String mode : List.of("cold", "primed", "primed-c2")) {
                    double[] phases = firstRequest(mode.equals("primed-c2") ? fullTiered : jvm, probe.artifact(), probe.handler().split("::")[0], probe.eventClass(),
                            probe.event().get(), mode.replace("-c2", ""), env, probe.expected());
                    measured.computeIfAbsent(probe.name() + "|" + mode, k -> new ArrayList<>()).add(phases);
                }
            }
            System.out.printf("priming run %d/%d done%n", run + 1, runs);
        }
        line("## First request after SnapStart priming (java25, Lambda's flags with the template's C1 cap)");
        line("");
        line("| function | init CPU | priming CPU | first request CPU, not primed | first request CPU, after priming | after priming vs not primed | after priming vs a cold start (faithful row above) | runs where priming made the request cheaper | first request CPU after priming, C2 kept (the runtime's SnapStart default) |");
        line("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        primedRatios = new LinkedHashMap<>();
        for (Probe probe : probes) {
            List<double[]> cold = measured.get(probe.name() + "|cold");
            List<double[]> primed = measured.get(probe.name() + "|primed");
            double init = Stats.of(cold.stream().map(p -> p[0]).toList()).median();
            double primingCpu = Stats.of(primed.stream().map(p -> p[1]).toList()).median();
            double coldRequest = Stats.of(cold.stream().map(p -> p[2]).toList()).median();
            double primedRequest = Stats.of(primed.stream().map(p -> p[2]).toList()).median();
            List<double[]> primedC2 = measured.get(probe.name() + "|primed-c2");
            double primedC2Request = Stats.of(primedC2.stream().map(p -> p[2]).toList()).median();
            long capCheaper = IntStream.range(0, primed.size()).filter(i -> primed.get(i)[2] < primedC2.get(i)[2]).count();
            long cheaper = IntStream.range(0, cold.size()).filter(i -> primed.get(i)[2] < cold.get(i)[2]).count();
            double coldStart = coldStartCpu.get(probe.function());
            primedRatios.put(probe.name(), new double[] {coldRequest, primedRequest, coldStart, cheaper, primedC2Request, capCheaper});
            line("| %s | %.0f ms | %.0f ms | %.0f ms | %.0f ms | %.2f | %.2f | %d/%d | %.0f ms |".formatted(probe.name(), init, primingCpu,
                    coldRequest, primedRequest, primedRequest / coldRequest, primedRequest / coldStart, cheaper, runs, primedC2Request));
        }
        line("");
        line("CPU of the whole process (JIT and GC threads included) per phase, medians: init = building the handler and the "
                + "runtime interface client's serialisers as Lambda's init does; priming = the handler's Priming hook, beforeCheckpoint then afterRestore, as SnapStart calls them; "
                + "first request = the event deserialised as the runtime interface client does, the handler, the response serialised. "
                + "`-Dhttp.keepAlive=false` in every mode: a restored JVM has no live connection from its snapshot. The last column: "
                + "the same primed run without the C1 cap, as the java25 runtime runs a SnapStart function when nothing caps it "
                + "(its background C2 compiles of the primed paths count too). What this cannot "
                + "show: the restore itself (Lambda's, not measurable here) and work the JVM does again after a restore.");
        line("");
    }

    private Map<String, double[]> primedRatios;

    /** One FirstRequest run: {init, priming, request} CPU milliseconds. */
    private static double[] firstRequest(LambdaJvm jvm, Path artifact, String handlerClass, String eventClass, String event,
                                         String mode, Map<String, String> env, String expected) throws Exception {
        Path eventFile = Files.createTempFile("bench-event-", ".json");
        Path log = Files.createTempFile("bench-probe-", ".log");
        try {
            Files.writeString(eventFile, event);
            List<String> command = new ArrayList<>();
            command.add(jvm.java().toString());
            command.addAll(jvm.flags());
            command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp", String.join(java.io.File.pathSeparator,
                    artifact.resolve("lib") + java.io.File.separator + "*", probesJar().toString(),
                    jarOf(com.amazonaws.services.lambda.runtime.serialization.PojoSerializer.class)),
                    "com.landbot.router.bench.probes.FirstRequest", handlerClass, eventClass, eventFile.toString(), mode));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().clear();
            builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
            builder.environment().put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(jvm.memoryMb()));
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("FirstRequest did not finish:\n" + Files.readString(log));
            }
            String output = Files.readString(log);
            String line = output.lines().filter(l -> l.startsWith("PROBE ")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("FirstRequest printed no PROBE line:\n" + output));
            if (!line.contains(expected)) {
                throw new IllegalStateException("unexpected response in " + mode + " run: " + line + "\n" + output);
            }
            Map<String, Double> values = new HashMap<>();
            for (String part : line.substring(6, line.indexOf(" response=")).split(" ")) {
                String[] kv = part.split("=");
                values.put(kv[0], Double.parseDouble(kv[1]));
            }
            return new double[] {values.get("initCpuMs"), values.get("primingCpuMs"), values.get("requestCpuMs")};
        } finally {
            Files.deleteIfExists(eventFile);
            Files.deleteIfExists(log);
        }
    }

    private static String jarOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- what each change bought

    private void changes(int runs) {
        line("## What each change bought");
        line("");
        line("| change | measured on | before | after | saves | runs where after used less CPU |");
        line("|---|---|---:|---:|---:|---:|");
        String[] changed = {"stream handlers reading events with shared Json instead of the runtime's serialiser (and no Joda)",
                "stream handlers reading events with shared Json instead of the runtime's serialiser (and no Joda)",
                "stored jars (scripts/StoreJars.java) instead of Maven's deflated ones", "stored jars (scripts/StoreJars.java) instead of Maven's deflated ones",
                "the baselines: a stream handler instead of a RequestHandler (no serialiser to start)"};
        for (int i = 0; i < variants.length; i++) {
            Row before = variants[i][0];
            Row after = variants[i][1];
            double b = cpu(before).median();
            double a = cpu(after).median();
            line("| %s | %s, java25, cold start CPU | %.0f ms (%d classes) | %.0f ms (%d classes) | %.0f ms | %d/%d |".formatted(changed[i],
                    after.name(), b, classes.get(before), a, classes.get(after), b - a, lower(after, before), runs));
        }
        line("| stored jars instead of deflated ones | DispatchFunction, zipped size | %.2f MB | %.2f MB | %.2f MB | |".formatted(
                zippedSizes.get("DispatchFunction, deflated jars"), zippedSizes.get("DispatchFunction"),
                zippedSizes.get("DispatchFunction, deflated jars") - zippedSizes.get("DispatchFunction")));
        line("| stored jars instead of deflated ones | IngestFunction, zipped size | %.2f MB | %.2f MB | %.2f MB | |".formatted(
                zippedSizes.get("IngestFunction, deflated jars"), zippedSizes.get("IngestFunction"),
                zippedSizes.get("IngestFunction, deflated jars") - zippedSizes.get("IngestFunction")));
        line("| dispatch ships the webhook subset of slack-api-client and slack-api-model (not the whole jars) | dispatch (1 sales), java25, cold start CPU | %.0f ms (%d classes) | %.0f ms (%d classes) | %.0f ms | %d/%d |"
                .formatted(slackSubset[0], (long) slackSubset[3], slackSubset[1], (long) slackSubset[4], slackSubset[0] - slackSubset[1], (long) slackSubset[2], runs));
        String[] names = {"ingest (POST sales)", "dispatch (1 sales)"};
        for (int i = 0; i < 2; i++) {
            Row r21 = java21vs25[2 * i];
            Row r25 = java21vs25[2 * i + 1];
            double c21 = cpu(r21).median();
            double c25 = cpu(r25).median();
            line("| java25 runtime and bytecode instead of java21 | %s, cold start CPU | %.0f ms | %.0f ms | %.0f ms | %d/%d |"
                    .formatted(names[i], c21, c25, c21 - c25, lower(r25, r21), runs));
        }
        for (Map.Entry<String, double[]> entry : primedRatios.entrySet()) {
            double[] r = entry.getValue();
            line("| SnapStart priming (JSON, signing, the DynamoDB and SQS request paths, each channel's clients and rehearsed send) | %s, first request CPU | %.0f ms | %.0f ms | %.0f ms | %d/%d |"
                    .formatted(entry.getKey(), r[0], r[1], r[0] - r[1], (long) r[3], runs));
        }
        for (Map.Entry<String, double[]> entry : primedRatios.entrySet()) {
            double[] r = entry.getValue();
            line("| C1 cap kept under SnapStart (template `JAVA_TOOL_OPTIONS`) instead of the java25 runtime's full tiered compilation | %s, first request CPU after priming | %.0f ms | %.0f ms | %.0f ms | %d/%d |"
                    .formatted(entry.getKey(), r[4], r[1], r[4] - r[1], (long) r[5], runs));
        }
        line("");
        line("Artifact size: see the table at the top (the dispatch artifact was 21.22 MB zipped, 53 jars, before the webhook subset; "
                + "16.07 MB, 49 jars, with deflated jars and Joda, before this run's changes). "
                + "Without SnapStart Lambda caps at C1 itself (the faithful rows), so there the template's cap changes nothing.");
        line("");
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
            handler.handle(event);
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
            int status = handler.handle(event).getStatusCode();
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
        SqsEventSource.Poll poll = source.drain(event -> handler.handle(event, null), 1000);
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
