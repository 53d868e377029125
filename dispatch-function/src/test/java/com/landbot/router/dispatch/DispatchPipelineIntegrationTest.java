package com.landbot.router.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.landbot.router.dispatch.channels.EmailChannel;
import com.landbot.router.dispatch.channels.SesIdentities;
import com.landbot.router.dispatch.channels.SlackChannel;
import com.landbot.router.shared.AwsClients;
import com.landbot.router.shared.EmailTarget;
import com.landbot.router.shared.SlackTarget;
import com.landbot.router.shared.Channel;
import com.landbot.router.shared.Message;
import com.landbot.router.shared.MessageRepository;
import com.landbot.router.shared.MessageStatus;
import com.landbot.router.shared.QueuedMessage;
import com.landbot.router.shared.Route;
import com.landbot.router.shared.SqsMessageQueue;
import com.landbot.router.emulators.Emulators;
import com.landbot.router.emulators.SesOutbox;
import com.landbot.router.emulators.SlackStub;
import com.landbot.router.emulators.TemplateDefinitions;
import com.landbot.router.emulators.TestStack;
import com.landbot.router.emulators.ThrottlingSes;
import com.landbot.router.tools.RedriveCommand;
import com.landbot.router.tools.SqsEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The dispatcher end to end through the real SDK: messages queued on ElasticMQ with the template's redrive
 * policy, DispatchHandler driven as Lambda's event source mapping drives it, DynamoDB and SES on moto, Slack
 * as a local stand-in. Each case asserts the final status and how many deliveries the receivers saw.
 */
@Tag("integration")
class DispatchPipelineIntegrationTest {

    private static final int MAX_ATTEMPTS = Integer.parseInt(TemplateDefinitions.parameterDefault("MaxDeliveryAttempts"));

    private final AwsClients clients = Emulators.get().clients();
    private TestStack stack;
    private SlackStub slack;
    private MessageRepository repository;
    private SqsEventSource eventSource;
    private Map<String, String> env;
    private String sender;
    private String recipient;

    @BeforeEach
    void setUp() {
        stack = TestStack.create();
        slack = SlackStub.start();
        repository = stack.repository();
        eventSource = new SqsEventSource(stack.sqs(), stack.queueUrl(), clients.region().id(), 10);
        String unique = UUID.randomUUID().toString().substring(0, 8);
        sender = "router-" + unique + "@example.com";
        recipient = "pricing-" + unique + "@example.com";
        SesIdentities.verifySender(sesClient(), sender);
        env = new HashMap<>(stack.functionEnvironment());
        env.put("SLACK_WEBHOOK_URL", slack.webhookUrl());
        env.put("SENDER_ADDRESS", sender);
        // The pricing route, as an operator would set it with PUT /topics/pricing: this test's own inbox.
        stack.routes().put(new Route("pricing", new EmailTarget(List.of(recipient))));
        // Retries at once and no pacing: the behaviour under test, without the minutes of real backoff.
        env.put("RETRY_BASE_BACKOFF_SECONDS", "0");
        env.put("RETRY_MAX_BACKOFF_SECONDS", "0");
        env.put("SLACK_MIN_INTERVAL_MS", "0");
    }

    @AfterEach
    void tearDown() {
        slack.close();
        stack.close();
    }

    private SesClient sesClient() {
        return clients.build(SesClient.builder(), "SES");
    }

    private DispatchHandler handler() {
        return new DispatchHandler(DispatchWiring.fromEnvironment(env, clients, Clock.systemUTC()), Clock.systemUTC());
    }

    private DispatchHandler handler(List<Channel<?>> channels) {
        return new DispatchHandler(DispatchWiring.fromEnvironment(env, clients, Clock.systemUTC(), channels), Clock.systemUTC());
    }

    /** What ingest does: store, enqueue, mark queued. */
    private Message accept(String topic, String channel, String description) {
        Instant now = Instant.now();
        Message message = Message.pending(UUID.randomUUID().toString(), topic, channel, description, now);
        repository.create(message);
        new SqsMessageQueue(stack.sqs(), stack.queueUrl()).enqueue(QueuedMessage.of(message));
        repository.markQueued(message.id(), now);
        return message;
    }

    private SqsEventSource.Poll drain(DispatchHandler handler) {
        return eventSource.drain(event -> handler.handle(event, null), 50);
    }

    /** Polls like the event source mapping until the condition holds (the queue's timers run in real time). */
    private void pollUntil(java.util.function.Function<SQSEvent, SQSBatchResponse> handler, BooleanSupplier done) {
        Instant deadline = Instant.now().plusSeconds(45);
        while (!done.getAsBoolean()) {
            assertTrue(Instant.now().isBefore(deadline), "condition not reached in 45 s");
            eventSource.pollOnce(handler, 1);
        }
    }

    private Message reload(Message message) {
        return repository.find(message.id()).orElseThrow();
    }

    @Test
    void salesReachesSlackOnceWithBlockKitAndPricingReachesSesWithSenderRecipientsAndSubject() {
        Message sales = accept("sales", "slack", "Hi! I'd like a demo of the Enterprise plan for 40 agents.");
        Message pricing = accept("pricing", "email", "Do you offer discounts for NGOs & schools?");

        SqsEventSource.Poll poll = drain(handler());

        assertEquals(new SqsEventSource.Poll(2, 2, 0), poll);
        assertEquals(1, slack.deliveries());
        JsonNode payload = slack.delivered().get(0);
        assertTrue(payload.get("blocks").isArray() && payload.get("blocks").size() > 0, payload.toString());
        assertTrue(payload.get("text").asText().contains("sales"), payload.toString());
        assertTrue(payload.toString().contains(sales.id()), payload.toString());

        List<SesOutbox.SentEmail> emails = SesOutbox.ofEmulators().sentTo(recipient);
        assertEquals(1, emails.size());
        SesOutbox.SentEmail email = emails.get(0);
        assertEquals(sender, email.source());
        assertEquals(List.of(recipient), email.to());
        assertTrue(email.subject().contains("pricing"), email.subject());
        assertTrue(email.body().contains("NGOs &amp; schools"), "HTML part, escaped: " + email.body());

        Message sentSales = reload(sales);
        Message sentPricing = reload(pricing);
        assertEquals(MessageStatus.SENT, sentSales.status());
        assertEquals(1, sentSales.attempts());
        assertEquals(MessageStatus.SENT, sentPricing.status());
        assertEquals(email.messageId(), sentPricing.deliveryId());
        assertEquals(0, stack.approximateCount(stack.queueUrl()));
    }

    @Test
    void slack500ThenOkEndsSentAfterTwoAttemptsAndOneDelivery() {
        slack.respondNext(500, "internal_error");
        Message sales = accept("sales", "slack", "call me");

        drain(handler());

        Message sent = reload(sales);
        assertEquals(MessageStatus.SENT, sent.status());
        assertEquals(2, sent.attempts());
        assertNull(sent.lastError(), "delivered: no error to show");
        assertTrue(sent.history().get(0).error().contains("500"), sent.history().toString());
        assertEquals(1, slack.deliveries());
        assertEquals(2, slack.requests().size());
    }

    @Test
    void slack429HonoursRetryAfterThroughTheVisibilityTimeout() throws Exception {
        Duration retryAfter = Duration.ofSeconds(4);
        slack.respondNext(429, "rate_limited", Map.of("Retry-After", Long.toString(retryAfter.toSeconds())));
        Message sales = accept("sales", "slack", "call me");
        DispatchHandler handler = handler();

        Instant firstPoll = Instant.now();
        assertEquals(new SqsEventSource.Poll(1, 0, 1), eventSource.pollOnce(e -> handler.handle(e, null), 1));
        int receivedAgain = eventSource.pollOnce(e -> handler.handle(e, null), 0).received();
        // The message is hidden from (at the earliest) firstPoll + Retry-After: a second poll that returned before
        // then must see nothing. On a machine so slow that it did not, this run cannot tell, and says so.
        assumeTrue(Instant.now().isBefore(firstPoll.plus(retryAfter)), "the second poll came after Retry-After had passed");
        assertEquals(0, receivedAgain, "hidden for Retry-After, not retried at once");
        assertEquals(MessageStatus.QUEUED, reload(sales).status());

        Message waiting = reload(sales);
        assertEquals("slack:landbot-router/slack/sales", waiting.waiting().destination(), "shown as waiting for its webhook");
        assertEquals(0, waiting.attempts(), "a 429 is back-pressure, not a failed attempt");

        pollUntil(e -> handler.handle(e, null), () -> reload(sales).status() == MessageStatus.SENT);
        assertEquals(1, reload(sales).attempts());
        assertEquals(1, slack.deliveries());
    }

    @Test
    void slack404IsPermanentErrorAtOnceAndDeadLetteredWithoutSpendingRetries() {
        slack.respondNext(404, "channel_not_found");
        Message sales = accept("sales", "slack", "call me");

        drain(handler());

        Message failed = reload(sales);
        assertEquals(MessageStatus.ERROR, failed.status());
        assertEquals(1, failed.attempts());
        assertTrue(failed.lastError().contains("channel_not_found"), failed.lastError());
        assertEquals(0, slack.deliveries());
        assertEquals(0, stack.approximateCount(stack.queueUrl()));
        assertEquals(1, stack.approximateCount(stack.deadLetterQueueUrl()));
    }

    @Test
    void sesThrottlingThenSuccessEndsSentWithOneEmail() {
        ThrottlingSes throttlingOnce = ThrottlingSes.first(1, sesClient());
        Message pricing = accept("pricing", "email", "How much for 10 seats?");
        List<Channel<?>> channels = List.of(new SlackChannel(slack::webhookUrl),
                new EmailChannel(throttlingOnce, sender));

        DispatchHandler handler = handler(channels);
        pollUntil(e -> handler.handle(e, null), () -> reload(pricing).status() == MessageStatus.SENT);

        Message sent = reload(pricing);
        assertEquals(MessageStatus.SENT, sent.status());
        assertEquals(1, sent.attempts(), "throttling is back-pressure, not a failed attempt");
        assertEquals(1, throttlingOnce.throttled());
        assertEquals(1, SesOutbox.ofEmulators().sentTo(recipient).size());
    }

    @Test
    void duplicateSqsDeliveryOfOneMessageIsDeliveredOnce() {
        Message sales = accept("sales", "slack", "call me");
        // SQS delivers at least once: the same body twice.
        new SqsMessageQueue(stack.sqs(), stack.queueUrl()).enqueue(QueuedMessage.of(sales));

        drain(handler());

        assertEquals(1, slack.deliveries());
        assertEquals(MessageStatus.SENT, reload(sales).status());
        assertEquals(1, reload(sales).attempts());
        assertEquals(0, stack.approximateCount(stack.queueUrl()));
    }

    @Test
    void oneFailingRecordInABatchOfTenRetriesAloneAndAllEndSent() {
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            messages.add(accept("sales", "slack", "message " + i));
        }
        slack.respondNext(500, "internal_error");
        DispatchHandler handler = handler();

        SqsEventSource.Poll first = eventSource.pollOnce(e -> handler.handle(e, null), 1);
        drain(handler);

        assertEquals(1, first.failed());
        assertEquals(first.received() - 1, first.deleted());
        assertEquals(10, slack.deliveries());
        assertTrue(messages.stream().allMatch(m -> reload(m).status() == MessageStatus.SENT));
        assertEquals(1, messages.stream().filter(m -> reload(m).attempts() == 2).count());
    }

    @Test
    void failedAttemptsUpToTheLimitEndInTheDeadLetterQueueReadingErrorAndARedriveDeliversThem() throws Exception {
        for (int i = 0; i < MAX_ATTEMPTS; i++) {
            slack.respondNext(500, "internal_error");
        }
        Message sales = accept("sales", "slack", "call me");
        DispatchHandler handler = handler();

        pollUntil(e -> handler.handle(e, null), () -> stack.approximateCount(stack.deadLetterQueueUrl()) == 1);

        Message failed = reload(sales);
        assertEquals(MessageStatus.ERROR, failed.status());
        assertEquals(MAX_ATTEMPTS, failed.attempts());
        assertTrue(failed.lastError().contains("500") && failed.lastError().endsWith("gave up after " + MAX_ATTEMPTS + " attempts"),
                failed.lastError());
        assertEquals(0, slack.deliveries());
        assertEquals(0, stack.approximateCount(stack.queueUrl()), "the dispatcher gave up, not SQS's receive count");

        assertEquals(0, RedriveCommand.run(new String[] {"--dlq", stack.deadLetterQueueUrl()}, stack.functionEnvironment()));
        drain(handler);

        Message redriven = reload(sales);
        assertEquals(MessageStatus.SENT, redriven.status());
        assertEquals(MAX_ATTEMPTS + 1, redriven.attempts(), "the attempt history is kept");
        assertEquals(1, slack.deliveries());
        assertEquals(0, stack.approximateCount(stack.deadLetterQueueUrl()));
    }

    @Test
    void aDispatcherThatCrashesOnEveryAttemptGivesUpAfterTheAttemptLimitReadingErrorInTheDeadLetterQueue() {
        // Short timers so the crash-and-redeliver cycle takes seconds: visibility 2 s, claim lease 1 s.
        stack.sqs().setQueueAttributes(b -> b.queueUrl(stack.queueUrl()).attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "2")));
        env.put("CLAIM_LEASE_SECONDS", "1");
        Channel<SlackTarget> crashing = new Channel<>() {
            @Override
            public String name() {
                return SlackTarget.CHANNEL;
            }

            @Override
            public Class<SlackTarget> targetType() {
                return SlackTarget.class;
            }

            @Override
            public com.landbot.router.shared.DeliveryReceipt deliver(Message message, SlackTarget target) {
                throw new OutOfMemoryError("simulated crash of the dispatcher");
            }
        };
        Message sales = accept("sales", "slack", "call me");
        DispatchHandler handler = handler(List.of(crashing, new EmailChannel(sesClient(), sender)));

        pollUntil(e -> handler.handle(e, null), () -> stack.approximateCount(stack.deadLetterQueueUrl()) == 1);

        Message crashed = reload(sales);
        assertEquals(MessageStatus.ERROR, crashed.status());
        assertEquals("attempt " + MAX_ATTEMPTS + " did not complete (the dispatcher crashed or timed out); gave up after "
                + MAX_ATTEMPTS + " attempts", crashed.lastError());
        assertEquals(MAX_ATTEMPTS, crashed.attempts());
    }
}
