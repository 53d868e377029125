package com.landbot.router.bench;

import com.landbot.router.shared.AwsClients;
import com.landbot.router.shared.Json;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What two start-up choices of {@link AwsClients} cost (issue 12, item 6), measured the way they are paid:
 * <ul>
 *   <li>{@code XRaySubsegments}, a subsegment per SDK call sent over UDP: cold start (a fresh JVM that builds the
 *       clients and makes one DynamoDB call, with and without a daemon address and a sampled trace header) and the
 *       CPU per call in a warm JVM (the calling thread's CPU time, traced and untraced clients alternating);</li>
 *   <li>{@code AwsClients.credentialsFrom} (the keys from the environment) against the SDK's default chain, which
 *       in Lambda finds the same keys at its second step.</li>
 * </ul>
 * DynamoDB is a stub HTTP server in this process answering {@code {}} at once, so the figures are the client's own
 * work, not a network's or an emulator's. Run: {@code bench/tracing-cost [cold starts per variant]}.
 */
public final class TracingCost {

    private static final String SAMPLED = "Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=1";
    private static final String TRACE_PROPERTY = "com.amazonaws.xray.traceHeader";

    enum Variant {
        UNTRACED("no daemon: no per-call subsegments (what Lambda's active tracing records alone)"),
        TRACED("XRaySubsegments on, invocation sampled: one UDP subsegment per call"),
        DEFAULT_CHAIN("no daemon, credentials through the SDK's default provider chain");

        final String meaning;

        Variant(String meaning) {
            this.meaning = meaning;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("probe")) {
            probe(Variant.valueOf(args[1]), Integer.parseInt(args[2]));
            return;
        }
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        HttpServer dynamo = stubDynamoDb();
        try (DatagramSocket daemon = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            AtomicInteger datagrams = drain(daemon);
            int dynamoPort = dynamo.getAddress().getPort();
            String daemonAddress = "127.0.0.1:" + daemon.getLocalPort();
            System.out.printf("tracing cost: %d cold starts per variant (interleaved), JVM %s, %d cores%n",
                    runs, Runtime.version(), Runtime.getRuntime().availableProcessors());
            coldStarts(runs, dynamoPort, daemonAddress, datagrams);
            perCall(dynamoPort, daemonAddress, datagrams);
        } finally {
            dynamo.stop(0);
        }
    }

    private static void coldStarts(int runs, int dynamoPort, String daemonAddress, AtomicInteger datagrams) throws Exception {
        Map<Variant, List<long[]>> results = new LinkedHashMap<>();
        for (Variant variant : Variant.values()) {
            results.put(variant, new ArrayList<>());
        }
        int before = datagrams.get();
        for (int run = 0; run < runs; run++) {
            for (Variant variant : Variant.values()) {
                results.get(variant).add(child(variant, dynamoPort, daemonAddress));
            }
        }
        int received = datagrams.get() - before;
        System.out.println();
        System.out.println("| variant | CPU median | CPU min-max | to first response, median | classes loaded |");
        System.out.println("|---|---:|---:|---:|---:|");
        for (Map.Entry<Variant, List<long[]>> entry : results.entrySet()) {
            List<Long> cpu = entry.getValue().stream().map(r -> r[0]).sorted().toList();
            List<Long> wall = entry.getValue().stream().map(r -> r[1]).sorted().toList();
            List<Long> classes = entry.getValue().stream().map(r -> r[2]).sorted().toList();
            System.out.printf("| %s | %d ms | %d-%d ms | %d ms | %d |%n", entry.getKey().meaning, median(cpu), cpu.get(0),
                    cpu.get(cpu.size() - 1), median(wall), median(classes));
        }
        System.out.printf("Each: a fresh JVM (-XX:TieredStopAtLevel=1, as the template) builds AwsClients and a DynamoDB client and"
                + " makes one GetItem; CPU is the process's user+system time at that point. Subsegments the daemon received"
                + " from the traced starts: %d of %d.%n", received, runs);
    }

    private static void perCall(int dynamoPort, String daemonAddress, AtomicInteger datagrams) {
        Map<String, String> env = environment(dynamoPort);
        Map<String, String> tracedEnv = new HashMap<>(env);
        tracedEnv.put("AWS_XRAY_DAEMON_ADDRESS", daemonAddress);
        System.setProperty(TRACE_PROPERTY, SAMPLED);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (DynamoDbClient untraced = new AwsClients(env).dynamoDb();
             DynamoDbClient traced = new AwsClients(tracedEnv).dynamoDb()) {
            int block = 500;
            for (int i = 0; i < 4 * block; i++) {
                call(untraced);
                call(traced);
            }
            List<Long> untracedNanos = new ArrayList<>();
            List<Long> tracedNanos = new ArrayList<>();
            int before = datagrams.get();
            for (int round = 0; round < 20; round++) {
                for (DynamoDbClient client : round % 2 == 0 ? List.of(untraced, traced) : List.of(traced, untraced)) {
                    long start = threads.getCurrentThreadCpuTime();
                    for (int i = 0; i < block; i++) {
                        call(client);
                    }
                    (client == traced ? tracedNanos : untracedNanos).add((threads.getCurrentThreadCpuTime() - start) / block);
                }
            }
            long sent = datagrams.get() - before;
            long plain = median(untracedNanos.stream().sorted().toList());
            long withSubsegment = median(tracedNanos.stream().sorted().toList());
            System.out.println();
            System.out.println("| per GetItem, warm (calling thread's CPU, median of 20 blocks of 500) | untraced | traced | cost of the subsegment |");
            System.out.println("|---|---:|---:|---:|");
            System.out.printf("| CPU per call | %.1f µs | %.1f µs | %.1f µs (%.0f%%) |%n", plain / 1000.0, withSubsegment / 1000.0,
                    (withSubsegment - plain) / 1000.0, 100.0 * (withSubsegment - plain) / plain);
            System.out.printf("Subsegments received by the stand-in daemon during the timed traced calls: %d of %d.%n", sent, 20 * block);
        } finally {
            System.clearProperty(TRACE_PROPERTY);
        }
    }

    /** One fresh JVM: {cpu ms, ms from JVM start to the first response, classes loaded}. */
    private static long[] child(Variant variant, int dynamoPort, String daemonAddress) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1"));
        if (variant == Variant.TRACED) {
            command.add("-D" + TRACE_PROPERTY + "=" + SAMPLED);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), TracingCost.class.getName(), "probe",
                variant.name(), Integer.toString(dynamoPort)));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().keySet().removeIf(name -> name.startsWith("AWS_"));
        builder.environment().putAll(environment(dynamoPort));
        if (variant == Variant.TRACED) {
            builder.environment().put("AWS_XRAY_DAEMON_ADDRESS", daemonAddress);
        }
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("probe " + variant + " failed: " + out);
        }
        String[] fields = out.substring(out.lastIndexOf('\n') + 1).split(" ");
        return new long[] {Long.parseLong(fields[0]), Long.parseLong(fields[1]), Long.parseLong(fields[2])};
    }

    /** In the child JVM: what a function's container does before its first DynamoDB answer. */
    private static void probe(Variant variant, int dynamoPort) {
        Map<String, String> env = new HashMap<>(System.getenv());
        // Both functions write JSON (logs, metrics, bodies) before their first AWS call: not the tracer's cost.
        Json.write(Map.of("event", "probe.start", "variant", variant.name()));
        AwsClients clients = variant == Variant.DEFAULT_CHAIN
                ? new AwsClients(env, DefaultCredentialsProvider.builder().build())
                : new AwsClients(env);
        call(clients.dynamoDb());
        long cpuNanos = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        System.out.println(cpuNanos / 1_000_000 + " " + ManagementFactory.getRuntimeMXBean().getUptime() + " "
                + ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount());
    }

    private static void call(DynamoDbClient client) {
        client.getItem(b -> b.tableName("messages").key(Map.of("id", AttributeValue.fromS("m-1"))));
    }

    private static Map<String, String> environment(int dynamoPort) {
        return Map.of("AWS_REGION", "eu-west-1", "AWS_ACCESS_KEY_ID", "bench", "AWS_SECRET_ACCESS_KEY", "bench",
                "AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:" + dynamoPort);
    }

    private static HttpServer stubDynamoDb() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(2));
        server.start();
        return server;
    }

    private static AtomicInteger drain(DatagramSocket socket) {
        AtomicInteger count = new AtomicInteger();
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[65536];
            while (!socket.isClosed()) {
                try {
                    socket.receive(new DatagramPacket(buffer, buffer.length));
                    count.incrementAndGet();
                } catch (IOException e) {
                    return;
                }
            }
        }, "xray-daemon-stand-in");
        thread.setDaemon(true);
        thread.start();
        return count;
    }

    private static long median(List<Long> sorted) {
        return sorted.get(sorted.size() / 2);
    }
}
