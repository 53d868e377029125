package com.landbot.router.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.landbot.router.shared.AwsClients;
import com.landbot.router.shared.Message;
import com.landbot.router.shared.MessageRepository;
import com.landbot.router.shared.MessageStatus;
import com.landbot.router.shared.QueuedMessage;
import com.landbot.router.shared.Route;
import com.landbot.router.shared.SlackTarget;
import com.landbot.router.shared.SqsMessageQueue;
import com.landbot.router.emulators.Emulators;
import com.landbot.router.emulators.SlackStub;
import com.landbot.router.emulators.TestStack;
import com.landbot.router.tools.SqsEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Two dispatchers (two containers: each its own handler, clients and pacer object) poll one queue at once, as the
 * event source's MaximumConcurrency runs them, and deliver to two Slack webhooks that each enforce Slack's limit.
 * Rates are scaled by 2.5 to keep the test short: the stand-in allows 2.5 per second with bursts of 3 per webhook
 * and the dispatchers pace each webhook at one per 400 ms (Slack: 1 per second, SLACK_MIN_INTERVAL_MS 1000).
 */
@Tag("integration")
class PacingAcrossDispatchersIntegrationTest {

    private static final int PER_WEBHOOK = 60;
    private static final double RATE = 2.5;
    private static final Pattern MESSAGE_ID = Pattern.compile("Message id: ([0-9a-f-]{36})");

    private final AwsClients clients = Emulators.get().clients();
    private TestStack stack;
    private SlackStub slack;
    private MessageRepository repository;
    private Map<String, String> env;

    @BeforeEach
    void setUp() {
        stack = TestStack.create();
        slack = SlackStub.start();
        slack.limitRate(new SlackStub.RateLimit(RATE, 3));
        repository = stack.repository();
        env = new HashMap<>(stack.functionEnvironment());
        env.put("SLACK_MIN_INTERVAL_MS", Long.toString(Math.round(1000 / RATE)));
        env.put("SENDER_ADDRESS", "router@example.com");
        // Two topics on two webhooks: each URL in its own secret, as operators set them up.
        String unique = UUID.randomUUID().toString().substring(0, 8);
        try (SecretsManagerClient secrets = clients.build(SecretsManagerClient.builder(), "SECRETS_MANAGER")) {
            for (String webhook : List.of("a", "b")) {
                String secretName = "landbot-router/slack/" + webhook + "-" + unique;
                secrets.createSecret(b -> b.name(secretName).secretString(slack.webhookUrlOf(webhook)));
                stack.routes().put(new Route("sales-" + webhook, new SlackTarget(secretName)));
            }
        }
    }

    @AfterEach
    void tearDown() {
        slack.close();
        stack.close();
    }

    /** What ingest does: store, enqueue, mark queued. */
    private Message accept(String topic, int n) {
        Instant now = Instant.now();
        Message message = Message.pending(UUID.randomUUID().toString(), topic, "slack", "customer " + n, now);
        repository.create(message);
        new SqsMessageQueue(stack.sqs(), stack.queueUrl()).enqueue(QueuedMessage.of(message));
        repository.markQueued(message.id(), now);
        return message;
    }

    @Test
    void twoDispatchersKeepEachWebhooksLimitTogetherAndTwoWebhooksDrainInTheTimeOfOne() throws Exception {
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < PER_WEBHOOK; i++) {
            messages.add(accept("sales-a", i));
            messages.add(accept("sales-b", i));
        }
        AtomicBoolean running = new AtomicBoolean(true);
        List<Throwable> crashes = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Thread> dispatchers = new ArrayList<>();
        Instant start = Instant.now();
        for (int i = 0; i < 2; i++) {
            DispatchHandler handler = new DispatchHandler(DispatchWiring.fromEnvironment(env, clients, Clock.systemUTC()), Clock.systemUTC());
            SqsEventSource source = new SqsEventSource(stack.sqs(), stack.queueUrl(), clients.region().id(), 10);
            dispatchers.add(Thread.ofPlatform().name("dispatcher-" + i).start(() -> {
                while (running.get()) {
                    source.pollOnce(event -> {
                        try {
                            return handler.handle(event, null);
                        } catch (RuntimeException | Error e) {
                            crashes.add(e);
                            throw e;
                        }
                    }, 1);
                }
            }));
        }
        Instant deadline = start.plusSeconds(90);
        Duration elapsed;
        try {
            while (!messages.stream().allMatch(m -> repository.find(m.id()).orElseThrow().status() == MessageStatus.SENT)) {
                assertTrue(Instant.now().isBefore(deadline), "not all SENT in 90 s: " + statuses(messages) + ", crashes " + crashes);
                Thread.sleep(200);
            }
            elapsed = Duration.between(start, Instant.now());
        } finally {
            running.set(false);
            for (Thread dispatcher : dispatchers) {
                dispatcher.join(10_000);
            }
        }

        assertEquals(List.of(), crashes, "no dispatcher invocation failed");
        assertEquals(Map.of(MessageStatus.SENT, 2 * PER_WEBHOOK), statuses(messages));
        assertEquals(PER_WEBHOOK, deliveredIds("a").size(), "webhook A: each message once");
        assertEquals(PER_WEBHOOK, deliveredIds("b").size(), "webhook B: each message once");
        assertEquals(PER_WEBHOOK, new HashSet<>(deliveredIds("a")).size(), "no duplicates on A");
        assertEquals(PER_WEBHOOK, new HashSet<>(deliveredIds("b")).size(), "no duplicates on B");
        assertTrue(slack.answered(429) <= 5, "at most a handful of 429s: " + slack.answered(429));
        assertTrue(messages.stream().allMatch(m -> repository.find(m.id()).orElseThrow().attempts() == 1),
                "a wait for a slot or a 429 is not an attempt");
        // Ideal: 60 per webhook at 2.5/s, both webhooks at once = 24 s (less the stand-in's burst of 3). One shared
        // pace for both (the old per-container, per-channel pacing) would need 48 s.
        double ideal = (PER_WEBHOOK - 3) / RATE;
        double seconds = elapsed.toMillis() / 1000.0;
        System.out.printf("pacing: %d messages over 2 webhooks in %.1f s (ideal %.1f s), %d 429s%n",
                2 * PER_WEBHOOK, seconds, ideal, slack.answered(429));
        assertTrue(seconds < 2 * PER_WEBHOOK / RATE * 0.75, "near " + ideal + " s, not " + 2 * PER_WEBHOOK / RATE + " s: " + seconds);
    }

    private Map<MessageStatus, Integer> statuses(List<Message> messages) {
        Map<MessageStatus, Integer> counts = new HashMap<>();
        messages.forEach(m -> counts.merge(repository.find(m.id()).orElseThrow().status(), 1, Integer::sum));
        return counts;
    }

    private List<String> deliveredIds(String webhook) {
        List<String> ids = new ArrayList<>();
        for (JsonNode payload : slack.delivered(webhook)) {
            Matcher id = MESSAGE_ID.matcher(payload.toString());
            ids.add(id.find() ? id.group(1) : "?");
        }
        return ids;
    }
}
