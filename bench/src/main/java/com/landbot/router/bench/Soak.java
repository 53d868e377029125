package com.landbot.router.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.landbot.router.dispatch.DispatchHandler;
import com.landbot.router.dispatch.DispatchWiring;
import com.landbot.router.dispatch.channels.EmailChannel;
import com.landbot.router.dispatch.channels.SlackChannel;
import com.landbot.router.ingest.IngestHandler;
import com.landbot.router.shared.AwsClients;
import com.landbot.router.shared.Channel;
import com.landbot.router.shared.DeliveryException;
import com.landbot.router.shared.DeliveryReceipt;
import com.landbot.router.shared.Json;
import com.landbot.router.shared.Message;
import com.landbot.router.local.HttpApiGateway;
import com.landbot.router.local.Journey;
import com.landbot.router.local.LocalResources;
import com.landbot.router.shared.Target;
import com.landbot.router.emulators.ElasticMqServer;
import com.landbot.router.emulators.FunctionEnvironment;
import com.landbot.router.emulators.MotoServer;
import com.landbot.router.emulators.SesOutbox;
import com.landbot.router.emulators.SlackStub;
import com.landbot.router.emulators.ThrottlingSes;
import com.landbot.router.emulators.TemplateDefinitions;
import com.landbot.router.tools.RedriveCommand;
import com.landbot.router.tools.SqsEventSource;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * {@code bench/soak}: a soak test of the whole pipeline under faults, in one JVM on loopback. Not a unit test:
 * it takes minutes and prints figures, it does not assert.
 *
 * <p>moto (DynamoDB, SES) and ElasticMQ (SQS) on free ports with the template's resources; the real
 * IngestFunction handler behind the local API Gateway, fed over HTTP by a few bot threads; the real
 * DispatchFunction handler behind several SQS pollers. Faults: a Slack webhook answering a share of calls 500 or
 * 429, an SES client that throttles a share of sends, and dispatchers killed mid-batch. Then the DLQ is redriven
 * with the faults off, and the receivers' counts are compared with the table.
 *
 * <p>A kill is simulated in this JVM: the dispatcher's channel throws an {@link Error} either just before or just
 * after the real send, so the invocation dies mid-batch without recording anything, its batch goes back to SQS
 * after the visibility timeout (nothing is deleted), and the poller starts a fresh dispatcher (a new "container",
 * with a new pacer and clients). The claim stays leased until it expires, as after a real kill.
 */
public final class Soak {

    private static final long SEED = 20240601L;
    private static final double SLACK_FAILURE_RATE = 0.20;
    private static final double SES_THROTTLE_RATE = 0.10;
    private static final int VISIBILITY_TIMEOUT_SECONDS = 5;
    /** As many dispatchers as the event source runs at once on AWS. */
    private static final int POLLERS = TemplateDefinitions.dispatchMaximumConcurrency();
    private static final int BOTS = 8;
    /** A kill every few hundred channel calls, alternating: after the send, before the send. */
    private static final List<Integer> KILL_AT_CALLS = List.of(150, 500, 850, 1200, 1550, 1900);
    private static final Duration MAIN_PHASE_LIMIT = Duration.ofMinutes(6);
    private static final Duration REDRIVE_PHASE_LIMIT = Duration.ofSeconds(60);
    private static final Duration HARD_LIMIT = Duration.ofMinutes(8);
    private static final Pattern UUID_PATTERN = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /** The dispatcher's sudden death: an Error, so no catch in the dispatch path mistakes it for a failed send. */
    static final class DispatcherKilled extends Error {
        DispatcherKilled(String message) {
            super(message);
        }
    }

    enum KillPoint { BEFORE_SEND, AFTER_SEND }

    record Kill(int atCall, KillPoint point) {
    }

    /** Which channel call kills its dispatcher; each kill fires once, in whichever dispatcher reaches it. */
    static final class KillPlan {
        private final List<Kill> pending = new ArrayList<>();
        private final AtomicInteger calls = new AtomicInteger();
        private final AtomicInteger killedBefore = new AtomicInteger();
        private final AtomicInteger killedAfter = new AtomicInteger();
        private final Set<String> killedAfterSend = ConcurrentHashMap.newKeySet();
        private volatile boolean armed = true;

        KillPlan(List<Integer> atCalls) {
            for (int i = 0; i < atCalls.size(); i++) {
                pending.add(new Kill(atCalls.get(i), i % 2 == 0 ? KillPoint.AFTER_SEND : KillPoint.BEFORE_SEND));
            }
        }

        synchronized Kill due() {
            int call = calls.incrementAndGet();
            return armed && !pending.isEmpty() && call >= pending.get(0).atCall() ? pending.get(0) : null;
        }

        /** True for the one dispatcher that gets to die for this kill. */
        synchronized boolean fire(Kill kill) {
            return armed && pending.remove(kill);
        }

        void disarm() {
            armed = false;
        }

        synchronized int unfired() {
            return pending.size();
        }
    }

    /** A production channel inside a dispatcher that may be killed around the send. */
    record KillableChannel<T extends Target>(Channel<T> delegate, KillPlan plan) implements Channel<T> {
        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public Class<T> targetType() {
            return delegate.targetType();
        }

        @Override
        public DeliveryReceipt deliver(Message message, T target) throws DeliveryException {
            Kill kill = plan.due();
            if (kill != null && kill.point() == KillPoint.BEFORE_SEND && plan.fire(kill)) {
                plan.killedBefore.incrementAndGet();
                throw new DispatcherKilled("killed before sending " + message.id());
            }
            DeliveryReceipt receipt = delegate.deliver(message, target);
            // After a failed send the kill waits for a successful one: the case worth testing is "sent, not recorded".
            if (kill != null && kill.point() == KillPoint.AFTER_SEND && plan.fire(kill)) {
                plan.killedAfter.incrementAndGet();
                plan.killedAfterSend.add(message.id());
                throw new DispatcherKilled("killed after sending " + message.id() + ", before recording it");
            }
            return receipt;
        }
    }

    private Soak() {
    }

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        PrintStream out = System.out;
        // The functions log a JSON line per step; thousands of them go to a file, the figures to the console.
        Path logFile = Path.of(System.getenv().getOrDefault("SOAK_LOG", "bench/target/soak.log")).toAbsolutePath();
        Files.createDirectories(logFile.getParent());
        PrintStream log = new PrintStream(new FileOutputStream(logFile.toFile()), true);
        System.setOut(log);
        System.setErr(log);
        Instant started = Instant.now();
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(HARD_LIMIT.toMillis());
                out.println("soak: hard time limit of " + HARD_LIMIT.toMinutes() + " min reached, stopping");
                stopEmulators();
                Runtime.getRuntime().halt(4);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "soak-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        int code;
        try {
            code = run(messages, out, logFile, started);
        } finally {
            // Halting skips every shutdown hook, moto's among them: stop the emulators first, or moto_server
            // outlives the soak (SoakEndToEndTest checks that nothing does).
            stopEmulators();
        }
        out.flush();
        // halt, not exit: the dispatcher threads and SDK clients would keep a plain exit waiting.
        Runtime.getRuntime().halt(code);
    }

    /** The emulators of this run: stopped before any halt, the watchdog's included. */
    private static final List<AutoCloseable> EMULATORS = new java.util.concurrent.CopyOnWriteArrayList<>();

    private static void stopEmulators() {
        for (AutoCloseable emulator : EMULATORS) {
            try {
                emulator.close();
            } catch (Exception e) {
                System.err.println("soak: stopping " + emulator.getClass().getSimpleName() + ": " + e);
            }
        }
    }

    private static int run(int messageCount, PrintStream out, Path logFile, Instant started) throws Exception {
        out.println("soak: starting moto and ElasticMQ ...");
        MotoServer moto = MotoServer.start();
        EMULATORS.add(moto);
        ElasticMqServer elasticMq = ElasticMqServer.start();
        EMULATORS.add(elasticMq);
        Map<String, String> aws = FunctionEnvironment.emulators("eu-west-1", moto.endpoint(), elasticMq.endpoint());
        AwsClients clients = new AwsClients(aws);
        LocalResources resources = LocalResources.create(clients, TemplateDefinitions.parameterDefault("SenderAddress"));
        SqsClient sqs = clients.sqs();
        // Accelerated timers: a killed dispatcher's messages come back in seconds, not in the template's 6 minutes.
        sqs.setQueueAttributes(b -> b.queueUrl(resources.created().queueUrl())
                .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(VISIBILITY_TIMEOUT_SECONDS))));
        Map<String, String> timers = Map.of("CLAIM_LEASE_SECONDS", "3", "RETRY_BASE_BACKOFF_SECONDS", "1",
                "RETRY_MAX_BACKOFF_SECONDS", "2", "SLACK_MIN_INTERVAL_MS", "0");

        SlackStub slack = SlackStub.start();
        EMULATORS.add(slack);
        slack.injectFaults(new SlackStub.FaultPlan(SEED, SLACK_FAILURE_RATE));
        Map<String, String> functionEnv = resources.functionEnvironment(aws).slackWebhook(slack.webhookUrl())
                .settingsFrom(timers).toMap();
        boolean[] sesFaulty = {true};
        Random sesDraws = new Random(SEED + 1);
        ThrottlingSes ses = new ThrottlingSes(clients.build(SesClient.builder(), "SES"), () -> {
            synchronized (sesDraws) {
                return sesFaulty[0] && sesDraws.nextDouble() < SES_THROTTLE_RATE;
            }
        });
        SlackChannel slackChannel = new SlackChannel(slack::webhookUrl);
        EmailChannel emailChannel = new EmailChannel(ses, resources.senderAddress());
        KillPlan kills = new KillPlan(KILL_AT_CALLS);

        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        HttpApiGateway api = HttpApiGateway.start(0, new IngestHandler(functionEnv, clients), new Journey(quiet), quiet);

        out.printf("""
                soak: %d messages (sales and pricing, seed %d) from %d bot threads to the API, %d dispatcher pollers (batches of %d)
                  faults: Slack %.0f%% of calls 500 or 429 (Retry-After 1), SES %.0f%% throttled, dispatcher killed at channel calls %s
                  timers: queue VisibilityTimeout %d s, CLAIM_LEASE_SECONDS 3, RETRY_BASE/MAX_BACKOFF_SECONDS 1/2,
                          SLACK_MIN_INTERVAL_MS 0, MaxReceiveCount %d (template)
                  function logs: %s
                """, messageCount, SEED, BOTS, POLLERS, TemplateDefinitions.dispatchBatchSize(), SLACK_FAILURE_RATE * 100,
                SES_THROTTLE_RATE * 100, KILL_AT_CALLS, VISIBILITY_TIMEOUT_SECONDS, TemplateDefinitions.maxReceiveCount(), logFile);

        // Dispatchers: each poller runs one dispatcher at a time and starts a fresh one when it is killed.
        AtomicInteger restarts = new AtomicInteger();
        List<Thread> pollers = new ArrayList<>();
        boolean[] running = {true};
        for (int i = 0; i < POLLERS; i++) {
            SqsEventSource source = new SqsEventSource(sqs, resources.created().queueUrl(), clients.region().id(),
                    TemplateDefinitions.dispatchBatchSize());
            Thread poller = Thread.ofPlatform().name("soak-dispatcher-" + i).daemon().unstarted(() -> {
                while (running[0]) {
                    DispatchHandler dispatcher = new DispatchHandler(DispatchWiring.fromEnvironment(functionEnv, clients,
                            Clock.systemUTC(), List.of(new KillableChannel<>(slackChannel, kills), new KillableChannel<>(emailChannel, kills))),
                            Clock.systemUTC());
                    boolean[] killed = {false};
                    while (running[0] && !killed[0]) {
                        try {
                            source.pollOnce(event -> {
                                try {
                                    return dispatcher.handle(event, null);
                                } catch (DispatcherKilled e) {
                                    killed[0] = true;
                                    throw e;
                                }
                            }, 1);
                        } catch (RuntimeException e) {
                            sleep(200);
                        }
                    }
                    if (killed[0]) {
                        restarts.incrementAndGet();
                    }
                }
            });
            pollers.add(poller);
            poller.start();
        }

        // The bot: POSTs with the bearer token, over HTTP, a few at a time.
        Map<String, String> accepted = new ConcurrentHashMap<>();
        Map<Integer, AtomicInteger> refused = new ConcurrentHashMap<>();
        AtomicInteger postErrors = new AtomicInteger();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI messagesUri = URI.create("http://127.0.0.1:" + api.port() + "/messages");
        Random topics = new Random(SEED + 2);
        List<String> plannedTopics = new ArrayList<>();
        for (int i = 0; i < messageCount; i++) {
            plannedTopics.add(topics.nextBoolean() ? "sales" : "pricing");
        }
        ExecutorService bots = Executors.newFixedThreadPool(BOTS, Thread.ofPlatform().name("soak-bot-", 1).daemon().factory());
        for (int i = 0; i < messageCount; i++) {
            String topic = plannedTopics.get(i);
            String body = Json.write(Json.MAPPER.createObjectNode().put("topic", topic)
                    .put("description", "Soak message " + i + ": a customer asks about " + topic + "."));
            bots.submit(() -> {
                try {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(messagesUri)
                                    .timeout(Duration.ofSeconds(30))
                                    .header("Authorization", "Bearer " + FunctionEnvironment.LOCAL_DEV_TOKEN)
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 202) {
                        accepted.put(Json.MAPPER.readTree(response.body()).path("id").asText(), topic);
                    } else {
                        refused.computeIfAbsent(response.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                    }
                } catch (IOException e) {
                    postErrors.incrementAndGet();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        bots.shutdown();
        boolean ingestDone = bots.awaitTermination(MAIN_PHASE_LIMIT.toSeconds(), TimeUnit.SECONDS);
        out.printf("soak: ingest %s after %d s: %d accepted, refused %s, %d POST errors%n",
                ingestDone ? "done" : "NOT done", Duration.between(started, Instant.now()).toSeconds(),
                accepted.size(), refused, postErrors.get());

        Instant mainDeadline = started.plus(MAIN_PHASE_LIMIT);
        boolean mainDrained = waitUntil(() -> queueEmpty(sqs, resources.created().queueUrl()), mainDeadline);
        int dlqBefore = count(sqs, resources.created().deadLetterQueueUrl());
        Map<String, Integer> statusesBefore = statusCounts(clients, resources.created().tableName(), accepted.keySet());
        out.printf("soak: queue %s after %d s; DLQ holds %d; statuses %s%n", mainDrained ? "drained" : "NOT drained (time limit)",
                Duration.between(started, Instant.now()).toSeconds(), dlqBefore, statusesBefore);

        // Redrive with the faults off, as an operator would once Slack and SES are healthy again.
        slack.stopFaults();
        sesFaulty[0] = false;
        kills.disarm();
        int redriveExit = -1;
        if (dlqBefore > 0) {
            redriveExit = RedriveCommand.run(new String[] {"--dlq", resources.created().deadLetterQueueUrl(), "--to", resources.created().queueUrl()}, aws);
            Instant redriveDeadline = Instant.now().plus(REDRIVE_PHASE_LIMIT);
            waitUntil(() -> count(sqs, resources.created().deadLetterQueueUrl()) == 0 && queueEmpty(sqs, resources.created().queueUrl()), redriveDeadline);
        }
        running[0] = false;
        for (Thread poller : pollers) {
            poller.join(5_000);
        }

        // The figures: the table's final word on each accepted message, and what the receivers got.
        Map<String, String> status = statuses(clients, resources.created().tableName());
        Map<String, Integer> received = new HashMap<>();
        Map<String, Integer> slackDeliveries = slack.deliveriesByMessageId();
        slackDeliveries.forEach((id, n) -> {
            if (!id.isEmpty()) {
                received.merge(id, n, Integer::sum);
            }
        });
        int emails = 0;
        for (SesOutbox.SentEmail email : new SesOutbox(moto.endpoint()).all()) {
            emails++;
            Matcher ids = UUID_PATTERN.matcher(email.body() == null ? "" : email.body());
            Set<String> inThisEmail = new java.util.HashSet<>();
            while (ids.find()) {
                if (accepted.containsKey(ids.group())) {
                    inThisEmail.add(ids.group());
                }
            }
            inThisEmail.forEach(id -> received.merge(id, 1, Integer::sum));
        }
        int sent = 0;
        int error = 0;
        int lost = 0;
        int sentNeverReceived = 0;
        List<String> lostIds = new ArrayList<>();
        for (String id : accepted.keySet()) {
            String s = status.get(id);
            if ("SENT".equals(s)) {
                sent++;
                if (received.getOrDefault(id, 0) == 0) {
                    sentNeverReceived++;
                }
            } else if ("ERROR".equals(s)) {
                error++;
            } else {
                lost++;
                lostIds.add(id + "=" + s);
            }
        }
        int duplicates = 0;
        List<String> duplicateIds = new ArrayList<>();
        for (Map.Entry<String, Integer> entry : received.entrySet()) {
            if (entry.getValue() > 1) {
                duplicates += entry.getValue() - 1;
                duplicateIds.add(entry.getKey() + " x" + entry.getValue()
                        + (kills.killedAfterSend.contains(entry.getKey()) ? " (its dispatcher was killed after the send)" : ""));
            }
        }
        int receivedNotAccepted = (int) received.keySet().stream().filter(id -> !accepted.containsKey(id)).count();
        long salesAccepted = accepted.values().stream().filter("sales"::equals).count();

        out.printf("""

                soak results (%d s wall time)
                  accepted (202)                 %d  (sales %d, pricing %d; refused %s, POST errors %d)
                  SENT                           %d
                  ERROR                          %d
                  lost                           %d  (accepted, neither SENT nor ERROR at the end)
                  SENT but never received        %d
                  duplicate deliveries           %d  (Slack payloads + emails beyond the first per message id)
                  received, never accepted       %d
                  Slack 500 / 429 injected       %d / %d  (Slack 200s: %d, emails in moto: %d)
                  SES throttles injected         %d
                  dispatcher kills               %d before the send, %d after the send (%d planned, %d unfired); %d restarts
                  DLQ before redrive             %d  (redrive exit %s)
                """,
                Duration.between(started, Instant.now()).toSeconds(),
                accepted.size(), salesAccepted, accepted.size() - salesAccepted, refused, postErrors.get(),
                sent, error, lost, sentNeverReceived, duplicates, receivedNotAccepted,
                slack.answered(500), slack.answered(429), slack.deliveries(), emails,
                ses.throttled(),
                kills.killedBefore.get(), kills.killedAfter.get(), KILL_AT_CALLS.size(), kills.unfired(), restarts.get(),
                dlqBefore, redriveExit < 0 ? "not run: DLQ empty" : Integer.toString(redriveExit));
        if (!duplicateIds.isEmpty()) {
            out.println("  duplicates: " + duplicateIds);
        }
        if (!lostIds.isEmpty()) {
            out.println("  lost: " + lostIds.subList(0, Math.min(20, lostIds.size())));
        }
        if (slackDeliveries.containsKey("")) {
            out.println("  Slack payloads without a message id: " + slackDeliveries.get(""));
        }
        api.close();
        return lost > 0 ? 1 : 0;
    }

    /** Nothing visible, in flight or delayed. */
    private static boolean queueEmpty(SqsClient sqs, String queueUrl) {
        return count(sqs, queueUrl) == 0;
    }

    private static int count(SqsClient sqs, String queueUrl) {
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
        return attributes.values().stream().mapToInt(Integer::parseInt).sum();
    }

    /** Waits for the condition to hold on three checks in a row, a second apart (a batch may be between polls). */
    private static boolean waitUntil(BooleanSupplier condition, Instant deadline) {
        int inARow = 0;
        while (Instant.now().isBefore(deadline)) {
            inARow = condition.getAsBoolean() ? inARow + 1 : 0;
            if (inARow == 3) {
                return true;
            }
            sleep(1000);
        }
        return false;
    }

    private static Map<String, String> statuses(AwsClients clients, String tableName) {
        Map<String, String> statuses = new HashMap<>();
        // Small pages of two attributes: moto answers a whole-table page of 2,000 items slower than the SDK's timeout.
        clients.dynamoDb().scanPaginator(b -> b.tableName(tableName).limit(100).projectionExpression("id, #s")
                .expressionAttributeNames(Map.of("#s", "status"))).items().forEach(item -> {
            AttributeValue id = item.get("id");
            AttributeValue status = item.get("status");
            statuses.put(id.s(), status == null ? null : status.s());
        });
        return statuses;
    }

    private static Map<String, Integer> statusCounts(AwsClients clients, String tableName, Set<String> ids) {
        Map<String, Integer> counts = new TreeMap<>();
        statuses(clients, tableName).forEach((id, status) -> {
            if (ids.contains(id)) {
                counts.merge(String.valueOf(status), 1, Integer::sum);
            }
        });
        return counts;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
