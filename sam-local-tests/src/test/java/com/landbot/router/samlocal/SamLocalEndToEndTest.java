package com.landbot.router.samlocal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.landbot.router.shared.Json;
import com.landbot.router.shared.Message;
import com.landbot.router.shared.MessageRepository;
import com.landbot.router.shared.MessageStatus;
import com.landbot.router.shared.Route;
import com.landbot.router.emulators.Emulators;
import com.landbot.router.emulators.Events;
import com.landbot.router.emulators.FunctionEnvironment;
import com.landbot.router.emulators.ProjectPaths;
import com.landbot.router.emulators.SesOutbox;
import com.landbot.router.emulators.SlackStub;
import com.landbot.router.emulators.TemplateDefinitions;
import com.landbot.router.emulators.TestStack;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.ses.SesClient;

/**
 * The built functions as a user runs them with the SAM CLI: {@code sam local invoke} with every API Gateway event in
 * events/ and with an SQS batch, and {@code sam local start-api} answering HTTP, each invocation in a Lambda-like
 * container (the runtime the template names, the host's architecture through samconfig.toml). The functions reach
 * DynamoDB, Secrets Manager and SES on moto, SQS on ElasticMQ and the Slack stand-in on this machine through the
 * container bridge ({@code host.containers.internal}); the env-vars file is the test stack's function environment
 * ({@link TestStack#functionEnvironment()}) with those addresses. Each case reads back what landed in the table,
 * the queue, the Slack stand-in and SES.
 */
@Tag("end-to-end")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SamLocalEndToEndTest {

    /** How the host is named from inside a container: podman's name; Docker Desktop's is host.docker.internal. */
    private static final String CONTAINER_HOST = System.getenv().getOrDefault("LANDBOT_CONTAINER_HOST", "host.containers.internal");

    /** The answer each API event must get; an event added to events/ without a line here fails the test. */
    private static final Map<String, Integer> EXPECTED_STATUS = Map.ofEntries(
            Map.entry("post-sales.json", 202),
            Map.entry("post-pricing.json", 202),
            Map.entry("post-sales-mixed-case-base64.json", 202),
            // Signed at a fixed time (the README's worked example): stale now, as a bot with a wrong clock sees it.
            Map.entry("post-sales-signed.json", 401),
            Map.entry("post-unknown-topic.json", 400),
            Map.entry("post-malformed-json.json", 400),
            Map.entry("post-not-object.json", 400),
            Map.entry("post-missing-description.json", 400),
            Map.entry("post-empty-description.json", 400),
            Map.entry("post-wrong-types.json", 400),
            Map.entry("post-empty-body.json", 400),
            Map.entry("post-wrong-content-type.json", 415),
            Map.entry("post-oversized.json", 413),
            Map.entry("get-message.json", 404),
            Map.entry("get-topics.json", 200),
            Map.entry("list-error-messages.json", 200),
            Map.entry("put-topic-support.json", 201),
            Map.entry("retry-message.json", 404),        // no such message in a fresh table
            Map.entry("retry-sales-errors.json", 202));  // a bulk retry that finds no ERROR message queues nothing

    private static TestStack stack;
    private static SlackStub slack;
    private static SamCli sam;
    private static Path envVars;
    private static final List<Duration> invokeTimes = new ArrayList<>();

    @BeforeAll
    static void startEmulatorsAndWriteTheEnvVarsFile() throws IOException {
        if (System.getenv("DOCKER_HOST") == null && !Files.exists(Path.of("/var/run/docker.sock"))) {
            throw new IllegalStateException("no container engine: run this tier with make test-containers");
        }
        if (!Files.exists(ProjectPaths.root().resolve(".aws-sam/build/template.yaml"))) {
            throw new IllegalStateException("no sam build output in .aws-sam/build: run sam build (make test-containers does)");
        }
        Emulators emulators = Emulators.get();
        stack = TestStack.create();
        slack = SlackStub.start(InetAddress.getByName("0.0.0.0"), 0);
        sam = new SamCli(emulators.environment());

        // What a deployment keeps in Secrets Manager, under the template's default names.
        try (SecretsManagerClient secrets = emulators.clients().build(SecretsManagerClient.builder(), "SECRETS_MANAGER")) {
            putSecret(secrets, TemplateDefinitions.parameterDefault("AuthSecretName"), "{\"current\":\"" + FunctionEnvironment.LOCAL_DEV_TOKEN + "\"}");
            putSecret(secrets, TemplateDefinitions.parameterDefault("AdminSecretName"), "{\"current\":\"" + FunctionEnvironment.LOCAL_ADMIN_TOKEN + "\"}");
            putSecret(secrets, TemplateDefinitions.parameterDefault("SlackWebhookSecretName"), inContainers(slack.webhookUrl()));
        }
        try (SesClient ses = emulators.clients().build(SesClient.builder(), "SES")) {
            ses.verifyEmailIdentity(b -> b.emailAddress(TemplateDefinitions.parameterDefault("SenderAddress")));
        }

        Map<String, String> functionEnvironment = new TreeMap<>();
        stack.functionEnvironment().forEach((name, value) -> functionEnvironment.put(name, inContainers(value)));
        envVars = Files.createTempFile("sam-local-env-", ".json");
        Files.writeString(envVars, Json.MAPPER.writerWithDefaultPrettyPrinter()
                .writeValueAsString(Map.of("Parameters", functionEnvironment)));
    }

    @AfterAll
    static void stop() throws IOException {
        if (!invokeTimes.isEmpty()) {
            List<Long> warm = invokeTimes.stream().skip(1).map(Duration::toMillis).sorted().toList();
            System.out.printf("sam local invoke: first (cold) %d ms; the %d after it: median %d ms, max %d ms%n",
                    invokeTimes.getFirst().toMillis(), warm.size(), warm.isEmpty() ? 0 : warm.get(warm.size() / 2),
                    warm.isEmpty() ? 0 : warm.getLast());
        }
        if (slack != null) {
            slack.close();
        }
        if (stack != null) {
            stack.close();
        }
        if (envVars != null) {
            Files.deleteIfExists(envVars);
        }
    }

    private static void putSecret(SecretsManagerClient secrets, String name, String value) {
        try {
            secrets.createSecret(b -> b.name(name).secretString(value));
        } catch (ResourceExistsException e) {
            secrets.putSecretValue(b -> b.secretId(name).secretString(value));
        }
    }

    /** A URL of this machine as the function in its container reaches it. */
    private static String inContainers(String value) {
        return value.replace("://127.0.0.1:", "://" + CONTAINER_HOST + ":").replace("://localhost:", "://" + CONTAINER_HOST + ":");
    }

    private static SamCli.Run invoke(String function, String event) {
        SamCli.Run run = sam.invoke(function, Events.file(event), envVars);
        invokeTimes.add(run.took());
        System.out.printf("sam local invoke %s -e events/%s: exit %d in %d ms%n", function, event, run.exitCode(), run.took().toMillis());
        return run;
    }

    /** Every event in events/ that is not an SQS batch; one that is not readable JSON fails the tier. */
    private static List<String> apiEvents() throws IOException {
        List<String> api = new ArrayList<>();
        try (Stream<Path> files = Files.list(ProjectPaths.events())) {
            for (Path file : files.filter(path -> path.toString().endsWith(".json")).sorted().toList()) {
                JsonNode event;
                try {
                    event = Json.MAPPER.readTree(file.toFile());
                } catch (IOException e) {
                    throw new AssertionError("events/" + file.getFileName() + " is not readable JSON: " + e.getMessage(), e);
                }
                if (!event.has("Records")) {
                    api.add(file.getFileName().toString());
                }
            }
        }
        return api;
    }

    private static Set<String> idsOnTheQueue() {
        return stack.receiveAll(stack.queueUrl()).stream()
                .map(message -> {
                    try {
                        return Json.MAPPER.readTree(message.body()).path("id").asText();
                    } catch (IOException e) {
                        throw new AssertionError(message.body(), e);
                    }
                })
                .collect(Collectors.toSet());
    }

    @Test
    @Order(1)
    void everyApiEventInEventsGetsItsAnswerFromTheIngestFunctionAndOnlyAcceptedOnesLandInTableAndQueue() throws IOException {
        List<String> events = apiEvents();
        assertEquals(EXPECTED_STATUS.keySet(), Set.copyOf(events), "events/ and this test's expectations differ");
        MessageRepository repository = stack.repository();
        List<String> accepted = new ArrayList<>();
        for (String event : events) {
            int itemsBefore = stack.items().size();
            int queuedBefore = stack.approximateCount(stack.queueUrl());

            JsonNode response = invoke("IngestFunction", event).response();

            assertEquals(EXPECTED_STATUS.get(event), response.path("statusCode").asInt(), event + ": " + response);
            JsonNode body = Json.MAPPER.readTree(response.path("body").asText());
            // A 202 to POST /messages is a new message; a bulk retry's 202 here (no ERROR message) adds none.
            if (response.path("statusCode").asInt() == 202 && event.startsWith("post-")) {
                String id = body.path("id").asText();
                Message stored = repository.find(id).orElseThrow(() -> new AssertionError(event + ": " + id + " is not in the table"));
                assertEquals(MessageStatus.QUEUED, stored.status(), event);
                assertEquals(body.path("topic").asText(), stored.topic(), event);
                assertEquals(itemsBefore + 1, stack.items().size(), event);
                assertEquals(queuedBefore + 1, stack.approximateCount(stack.queueUrl()), event);
                accepted.add(id);
            } else {
                assertEquals(itemsBefore, stack.items().size(), event + " stored something");
                assertEquals(queuedBefore, stack.approximateCount(stack.queueUrl()), event + " queued something");
                if (response.path("statusCode").asInt() >= 400) {
                    assertTrue(body.hasNonNull("error"), event + ": " + body);
                }
            }
        }
        assertEquals(3, accepted.size());
        assertEquals(Set.copyOf(accepted), idsOnTheQueue());
        assertTrue(stack.routes().all().stream().map(Route::topic).anyMatch("support"::equals), "PUT /topics/support stored no route");
    }

    @Test
    @Order(2)
    void dispatchFunctionDeliversAnSqsBatchToSlackAndSesAndRecordsBothSent() throws IOException {
        MessageRepository repository = stack.repository();
        JsonNode batch = Json.MAPPER.readTree(Events.json("sqs-batch-two.json"));
        Map<String, String> topicById = new HashMap<>();
        for (JsonNode record : batch.path("Records")) {
            JsonNode body = Json.MAPPER.readTree(record.path("body").asText());
            // What ingest stored before it queued the message the event carries.
            String channel = body.path("topic").asText().equals("sales") ? "slack" : "email";
            Message message = Message.pending(body.path("id").asText(), body.path("topic").asText(), channel,
                    "Sent through sam local invoke", Instant.now());
            repository.create(message);
            repository.markQueued(message.id(), Instant.now());
            topicById.put(message.id(), message.topic());
        }
        int slackBefore = slack.deliveries();

        JsonNode response = invoke("DispatchFunction", "sqs-batch-two.json").response();

        assertTrue(response.path("batchItemFailures").isArray(), "a partial batch response: " + response);
        assertEquals(0, response.path("batchItemFailures").size(), response.toString());
        assertEquals(slackBefore + 1, slack.deliveries());
        for (Map.Entry<String, String> entry : topicById.entrySet()) {
            Message sent = repository.find(entry.getKey()).orElseThrow();
            assertEquals(MessageStatus.SENT, sent.status(), entry.getValue() + ": " + sent.lastError());
            assertEquals(1, sent.attempts(), entry.getValue());
            if (entry.getValue().equals("sales")) {
                assertTrue(slack.delivered().getLast().toString().contains(sent.id()), slack.delivered().getLast().toString());
            } else {
                List<SesOutbox.SentEmail> emails = SesOutbox.ofEmulators().sentTo(TemplateDefinitions.parameterDefault("PricingRecipients"))
                        .stream().filter(email -> email.messageId().equals(sent.deliveryId())).toList();
                assertNotNull(sent.deliveryId(), "the SES message id is recorded");
                assertEquals(1, emails.size(), "the pricing email SES accepted");
                assertEquals(TemplateDefinitions.parameterDefault("SenderAddress"), emails.getFirst().source());
                assertTrue(emails.getFirst().subject().contains("pricing"), emails.getFirst().subject());
            }
        }
    }

    @Test
    @Order(3)
    void startApiAcceptsABotsPostAndAnswersItsStatusOverHttp() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Path log = Files.createTempFile("sam-start-api-", ".log");
        List<String> arguments = new ArrayList<>(List.of("local", "start-api", "--host", "127.0.0.1", "--port", Integer.toString(port)));
        arguments.addAll(sam.localFlags(envVars));
        Process api = sam.start(arguments, log);
        try {
            awaitListening(port, api, log);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            URI base = URI.create("http://127.0.0.1:" + port);
            Instant started = Instant.now();
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(base.resolve("/messages"))
                    .timeout(Duration.ofMinutes(2))
                    .header("Authorization", "Bearer " + FunctionEnvironment.LOCAL_DEV_TOKEN)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"topic\":\"sales\",\"description\":\"Hi! A demo for 40 agents, please.\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            System.out.printf("sam local start-api: POST /messages answered %d in %d ms%n", post.statusCode(),
                    Duration.between(started, Instant.now()).toMillis());

            assertEquals(202, post.statusCode(), post.body() + "\n" + Files.readString(log));
            String id = Json.MAPPER.readTree(post.body()).path("id").asText();
            assertEquals("/messages/" + id, post.headers().firstValue("Location").orElse(""));
            assertEquals(MessageStatus.QUEUED, stack.repository().find(id).orElseThrow().status());

            HttpResponse<String> get = http.send(HttpRequest.newBuilder(base.resolve("/messages/" + id))
                    .timeout(Duration.ofMinutes(2))
                    .header("Authorization", "Bearer " + FunctionEnvironment.LOCAL_DEV_TOKEN)
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, get.statusCode(), get.body());
            JsonNode status = Json.MAPPER.readTree(get.body());
            assertEquals(id, status.path("id").asText());
            assertEquals("QUEUED", status.path("status").asText());
            assertEquals("slack", status.path("channel").asText());
        } finally {
            api.descendants().forEach(ProcessHandle::destroy);
            api.destroy();
            api.waitFor();
            Files.deleteIfExists(log);
        }
    }

    private static void awaitListening(int port, Process api, Path log) throws Exception {
        Instant deadline = Instant.now().plusSeconds(120);
        while (Instant.now().isBefore(deadline)) {
            if (!api.isAlive()) {
                throw new AssertionError("sam local start-api exited " + api.exitValue() + "\n" + Files.readString(log));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(250);
            }
        }
        throw new AssertionError("sam local start-api did not listen on " + port + " in 120 s\n" + Files.readString(log));
    }
}
