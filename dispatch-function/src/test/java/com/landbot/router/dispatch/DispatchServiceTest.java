package com.landbot.router.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.landbot.router.shared.CachedRoutes;
import com.landbot.router.shared.ChannelTargets;
import com.landbot.router.shared.EmailTarget;
import com.landbot.router.shared.SlackTarget;
import com.landbot.router.shared.Target;
import com.landbot.router.shared.ChannelRegistry;
import com.landbot.router.shared.DeliveryAttempt;
import com.landbot.router.shared.DeliveryException;
import com.landbot.router.shared.Destination;
import com.landbot.router.shared.DynamoDbMessageRepository;
import com.landbot.router.shared.Json;
import com.landbot.router.shared.Message;
import com.landbot.router.shared.MessageStatus;
import com.landbot.router.shared.Metrics;
import com.landbot.router.shared.QueuedMessage;
import com.landbot.router.shared.Route;
import com.landbot.router.shared.RoutingTable;
import com.landbot.router.emulators.EmfDocument;
import com.landbot.router.emulators.InMemoryMessageRepository;
import com.landbot.router.emulators.InMemoryRouteStore;
import com.landbot.router.emulators.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** DispatchService with in-memory fakes and a clock that only moves when the pacer sleeps. */
class DispatchServiceTest {

    private static final int MAX_ATTEMPTS = 5;
    /** The template's safety net, far above what attempts and waits use. */
    private static final int MAX_RECEIVES = 100;
    static final PacingRules PACING = new PacingRules(Duration.ofSeconds(1), 14);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T10:00:00Z"));
    private final InMemoryMessageRepository repository = new InMemoryMessageRepository();
    private final FakeChannel slack = new FakeChannel("slack");
    private final FakeChannel email = new FakeChannel("email");
    private final RecordingQueue queue = new RecordingQueue();
    private final List<Duration> sleeps = new ArrayList<>();
    private final InMemoryRouteStore routes = InMemoryRouteStore.defaults();
    private final InMemoryPacer pacer = new InMemoryPacer();
    private final List<String> metricLines = new ArrayList<>();
    private final DispatchService service = new DispatchService(repository, () -> RoutingTable.of(routes.all()),
            ChannelRegistry.of(List.of(slack, email)), queue,
            RetryPolicy.of(MAX_ATTEMPTS, MAX_RECEIVES), pacer, PACING, clock,
            d -> { sleeps.add(d); clock.advance(d); }, new Metrics("dispatch", clock, metricLines::add));

    private Message stored(String id, String topic, String channel) {
        Message message = Message.pending(id, topic, channel, "help with " + topic, clock.instant()).queued(clock.instant());
        repository.put(message);
        return message;
    }

    private static Delivery delivery(Message message, int receiveCount) {
        return new Delivery("sqs-" + message.id() + "-" + receiveCount, "receipt-" + message.id(),
                QueuedMessage.of(message).toJson(), receiveCount);
    }

    private List<String> dispatch(Delivery... deliveries) {
        return service.dispatch(List.of(deliveries), clock.instant().plusSeconds(50));
    }

    private static List<String> recipients(Target target) {
        return ((EmailTarget) target).recipients();
    }

    private Message reload(Message message) {
        return repository.find(message.id()).orElseThrow();
    }

    @Test
    void salesGoesToSlackAndPricingToEmailAndBothEndSent() {
        Message sales = stored("m-sales", "sales", "slack");
        Message pricing = stored("m-pricing", "pricing", "email");

        assertEquals(List.of(), dispatch(delivery(sales, 1), delivery(pricing, 1)));

        assertEquals(List.of("m-sales"), slack.delivered.stream().map(Message::id).toList());
        assertEquals(List.of("m-pricing"), email.delivered.stream().map(Message::id).toList());
        Message sent = reload(pricing);
        assertEquals(MessageStatus.SENT, sent.status());
        assertEquals(1, sent.attempts());
        assertEquals("email-1", sent.deliveryId());
        assertEquals(clock.instant(), sent.sentAt());
        assertNull(sent.lastError());
    }

    @Test
    void eachMessageGoesToTheTargetItsTopicIsRoutedToWhenSent() {
        Message pricing = stored("m-pricing", "pricing", "email");

        dispatch(delivery(pricing, 1));

        assertEquals(List.of("pricing-team@example.com"), recipients(email.targets.get(0)));
    }

    @Test
    void aTopicReroutedAfterAcceptanceGoesOutOnTheNewChannelAndRecordsIt() {
        Message sales = stored("m-sales", "sales", "slack");
        routes.put(new Route("sales", new EmailTarget(List.of("sales-desk@example.com"))));

        assertEquals(List.of(), dispatch(delivery(sales, 1)));

        assertEquals(List.of(), slack.delivered);
        assertEquals(List.of("m-sales"), email.delivered.stream().map(Message::id).toList());
        assertEquals(List.of("sales-desk@example.com"), recipients(email.targets.get(0)));
        Message sent = reload(sales);
        assertEquals(MessageStatus.SENT, sent.status());
        assertEquals("email", sent.channel(), "the channel it went out on, not the one it was accepted for");
    }

    @Test
    void aTopicNoLongerRoutedFailsPermanentlyWithTheFixInTheError() {
        Message support = stored("m-support", "support", "email");

        assertEquals(List.of(), dispatch(delivery(support, 1)));

        Message failed = reload(support);
        assertEquals(MessageStatus.ERROR, failed.status());
        assertEquals("topic 'support' is not routed: add it with PUT /topics/support, then redrive", failed.lastError());
        assertEquals(1, queue.deadLettered.size());
        assertEquals(0, email.calls);
    }

    @Test
    void aTopicAddedAfterTheRoutesWereCachedIsLookedUpAgainNotFailed() {
        DispatchService cached = new DispatchService(repository,
                new CachedRoutes(routes, clock, Duration.ofSeconds(30)), ChannelRegistry.of(List.of(slack, email)), queue,
                RetryPolicy.of(MAX_ATTEMPTS, MAX_RECEIVES), Pacer.unpaced(), PACING, clock, d -> { }, new Metrics("dispatch", clock, metricLines::add));
        cached.dispatch(List.of(delivery(stored("m-sales", "sales", "slack"), 1)), clock.instant().plusSeconds(50));
        // An operator adds the topic through another container; the bot's message on it arrives seconds later.
        routes.put(new Route("support", new EmailTarget(List.of("support@example.com"))));
        clock.advance(Duration.ofSeconds(6));
        Message support = stored("m-support", "support", "email");

        assertEquals(List.of(), cached.dispatch(List.of(delivery(support, 1)), clock.instant().plusSeconds(50)));

        assertEquals(MessageStatus.SENT, reload(support).status());
        assertEquals(List.of("support@example.com"), recipients(email.targets.get(0)));
    }

    /** Issue 16, item 3, as reproduced: PUT topic A, POST to A, 1.5 s later PUT topic B, POST to B. */
    @Test
    void aTopicAddedSecondsAfterTheLastReadIsLookedUpDirectlyAndDeliveredNotFailed() {
        DispatchService cached = new DispatchService(repository,
                new CachedRoutes(routes, clock, Duration.ofSeconds(30)), ChannelRegistry.of(List.of(slack, email)), queue,
                RetryPolicy.of(MAX_ATTEMPTS, MAX_RECEIVES), Pacer.unpaced(), PACING, clock, d -> { }, new Metrics("dispatch", clock, metricLines::add));
        routes.put(new Route("topic-a", new EmailTarget(List.of("a@example.com"))));
        cached.dispatch(List.of(delivery(stored("m-a", "topic-a", "email"), 1)), clock.instant().plusSeconds(50));
        clock.advance(Duration.ofMillis(1500));
        routes.put(new Route("topic-b", new EmailTarget(List.of("b@example.com"))));
        Message b = stored("m-b", "topic-b", "email");

        assertEquals(List.of(), cached.dispatch(List.of(delivery(b, 1)), clock.instant().plusSeconds(50)));

        assertEquals(MessageStatus.SENT, reload(b).status(), reload(b).lastError());
        assertEquals(List.of("b@example.com"), recipients(email.targets.get(1)));
        assertEquals(0, queue.deadLettered.size());
    }

    @Test
    void aTopicTheDirectLookupCannotReadYetComesBackLaterNotFailed() {
        DispatchService cached = new DispatchService(repository,
                new CachedRoutes(routes, clock, Duration.ofSeconds(30)), ChannelRegistry.of(List.of(slack, email)), queue,
                RetryPolicy.of(MAX_ATTEMPTS, MAX_RECEIVES), Pacer.unpaced(), PACING, clock, d -> { }, new Metrics("dispatch", clock, metricLines::add));
        cached.dispatch(List.of(delivery(stored("m-sales", "sales", "slack"), 1)), clock.instant().plusSeconds(50));
        routes.failReads = true;
        Message support = stored("m-support", "support", "email");

        assertEquals(List.of("sqs-m-support-1"), cached.dispatch(List.of(delivery(support, 1)), clock.instant().plusSeconds(50)));

        assertEquals(MessageStatus.QUEUED, reload(support).status(), "not ERROR: the table could not say the topic is unknown");
        assertEquals(0, reload(support).attempts());
        assertEquals(0, queue.deadLettered.size());
    }

    @Test
    void whenRoutesCannotBeReadTheRecordComesBackLaterUnclaimed() {
        Message sales = stored("m-sales", "sales", "slack");
        routes.failReads = true;
        DispatchService unread = new DispatchService(repository,
                new CachedRoutes(routes, clock, Duration.ofSeconds(30)), ChannelRegistry.of(List.of(slack, email)), queue,
                RetryPolicy.of(MAX_ATTEMPTS, MAX_RECEIVES), Pacer.unpaced(), PACING, clock, d -> { }, new Metrics("dispatch", clock, metricLines::add));

        assertEquals(List.of("sqs-m-sales-1"), unread.dispatch(List.of(delivery(sales, 1)), clock.instant().plusSeconds(50)));

        assertEquals(MessageStatus.QUEUED, reload(sales).status());
        assertEquals(0, reload(sales).attempts());
        assertEquals(0, slack.calls);
    }

    @Test
    void sentFailedAndRetriedAreCountedPerChannelAsValidEmf() throws Exception {
        clock.advance(Duration.ZERO);
        Message sales = stored("m-sales", "sales", "slack");
        clock.advance(Duration.ofSeconds(3));
        Message pricing = stored("m-pricing", "pricing", "email");
        email.thenFail(new DeliveryException.Retryable("SES throttled", null));
        Message other = stored("m-other", "pricing", "email");
        email.thenFail(new DeliveryException.Permanent("SES MessageRejected", null));

        dispatch(delivery(sales, 1), delivery(pricing, 1), delivery(other, 1));

        assertEquals(3, metricLines.size(), String.join("\n", metricLines));
        for (String line : metricLines) {
            assertEquals(List.of(), EmfDocument.problems(line), line);
        }
        JsonNode sent = Json.MAPPER.readTree(metricLines.get(0));
        assertEquals("slack", sent.get("Channel").asText());
        assertEquals(1.0, sent.get("Sent").asDouble());
        assertEquals(3000.0, sent.get("DeliveryLatency").asDouble(), "from acceptance to SENT");
        assertEquals(1.0, sent.get("Attempts").asDouble());
        assertEquals("m-sales", sent.get("messageId").asText());
        assertEquals(1.0, Json.MAPPER.readTree(metricLines.get(1)).get("Retried").asDouble());
        JsonNode failed = Json.MAPPER.readTree(metricLines.get(2));
        assertEquals("email", failed.get("Channel").asText());
        assertEquals(1.0, failed.get("Failed").asDouble());
    }

    @Test
    void duplicateDeliveryOfSentMessageIsAcknowledgedWithoutResending() {
        Message sales = stored("m1", "sales", "slack");
        dispatch(delivery(sales, 1));

        assertEquals(List.of(), dispatch(delivery(sales, 2)));

        assertEquals(1, slack.calls);
        assertEquals(1, reload(sales).attempts());
    }

    @Test
    void concurrentDeliveryOfAClaimedMessageDoesNotSendAndComesBackLater() {
        Message sales = stored("m1", "sales", "slack");
        repository.claim("m1", clock.instant(), Duration.ofSeconds(120), false);

        assertEquals(List.of(delivery(sales, 1).sqsMessageId()), dispatch(delivery(sales, 1)));
        assertEquals(0, slack.calls);
    }

    @Test
    void aClaimWhoseInvocationDiedExpiresAndTheMessageIsDeliveredOnce() {
        Message sales = stored("m1", "sales", "slack");
        repository.claim("m1", clock.instant(), Duration.ofSeconds(120), false);
        clock.advance(Duration.ofSeconds(360));

        assertEquals(List.of(), dispatch(delivery(sales, 2)));
        assertEquals(1, slack.calls);
        assertEquals(2, reload(sales).attempts());
    }

    @Test
    void retryableFailureGoesBackWithBackoffAndRecordsTheAttempt() {
        Message sales = stored("m1", "sales", "slack");
        slack.thenFail(new DeliveryException.Retryable("Slack answered 500 internal_error", null));

        Delivery first = delivery(sales, 1);
        assertEquals(List.of(first.sqsMessageId()), dispatch(first));

        Message retrying = reload(sales);
        assertEquals(MessageStatus.QUEUED, retrying.status());
        assertEquals(1, retrying.attempts());
        assertEquals("Slack answered 500 internal_error", retrying.lastError());
        assertEquals(List.of(Duration.ofSeconds(10)), queue.delays);

        assertEquals(List.of(), dispatch(delivery(sales, 2)));
        Message sent = reload(sales);
        assertEquals(MessageStatus.SENT, sent.status());
        assertEquals(2, sent.attempts());
        assertNull(sent.lastError(), "delivered: nothing is wrong with it now");
        assertEquals("Slack answered 500 internal_error", sent.history().get(0).error(), "the failed attempt stays in the history");
    }

    @Test
    void slackRetryAfterHoldsBackTheWebhookAndTheMessagesWaitWithoutSpendingAttempts() {
        Message first = stored("m1", "sales", "slack");
        Message second = stored("m2", "sales", "slack");
        slack.thenFail(new DeliveryException.RateLimited("Slack answered 429 rate_limited", Duration.ofSeconds(30), null));
        Instant start = clock.instant();

        List<String> failures = dispatch(delivery(first, 1), delivery(second, 1));

        assertEquals(List.of(delivery(first, 1).sqsMessageId(), delivery(second, 1).sqsMessageId()), failures);
        assertEquals(1, slack.calls, "the second message is not sent into a known 429");
        assertEquals(List.of(Duration.ofSeconds(30), Duration.ofSeconds(31)), queue.delays, "each comes back for its slot");
        for (Message message : List.of(first, second)) {
            Message waiting = reload(message);
            assertEquals(MessageStatus.QUEUED, waiting.status());
            assertEquals(0, waiting.attempts(), "holding back is not an attempt");
            assertNull(waiting.lastError(), "a rate limit is not an error");
        }
        assertEquals(new Message.Waiting("slack:landbot-router/slack/sales", start.plusSeconds(30)), reload(first).waiting());
        assertEquals(new Message.Waiting("slack:landbot-router/slack/sales", start.plusSeconds(31)), reload(second).waiting());
    }

    @Test
    void aRateLimitedMessageOnItsFifthReceiveIsNotError() {
        Message sales = stored("m1", "sales", "slack");
        for (int receive = 1; receive <= 5; receive++) {
            slack.thenFail(new DeliveryException.RateLimited("Slack answered 429 rate_limited", Duration.ofSeconds(2), null));
            assertEquals(1, dispatch(delivery(sales, receive)).size());
            clock.set(reload(sales).waiting().nextAttemptAt());
        }

        Message waiting = reload(sales);
        assertEquals(MessageStatus.QUEUED, waiting.status());
        assertEquals(0, waiting.attempts());
        assertTrue(queue.deadLettered.isEmpty());

        assertEquals(List.of(), dispatch(delivery(sales, 6)));
        assertEquals(MessageStatus.SENT, reload(sales).status());
        assertEquals(1, reload(sales).attempts(), "the one real attempt");
        assertNull(reload(sales).waiting());
    }

    @Test
    void aMessageWithFiveRealFailuresIsErrorAndDeadLettered() {
        Message sales = stored("m1", "sales", "slack");
        for (int receive = 1; receive <= 4; receive++) {
            slack.thenFail(new DeliveryException.Retryable("Slack answered 500 internal_error", null));
            assertEquals(1, dispatch(delivery(sales, receive)).size());
            assertEquals(MessageStatus.QUEUED, reload(sales).status());
        }
        slack.thenFail(new DeliveryException.Retryable("Slack answered 500 internal_error", null));

        assertEquals(List.of(), dispatch(delivery(sales, 5)), "acknowledged: the DLQ has its copy");

        Message failed = reload(sales);
        assertEquals(MessageStatus.ERROR, failed.status());
        assertEquals(5, failed.attempts());
        assertEquals("Slack answered 500 internal_error; gave up after 5 attempts", failed.lastError());
        assertEquals(1, queue.deadLettered.size());
        assertEquals(List.of(Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(40), Duration.ofSeconds(80)),
                queue.delays, "backoff by attempt");
    }

    @Test
    void aRedrivenMessageThatGaveUpGetsAFreshAttemptBudget() {
        Message sales = stored("m1", "sales", "slack");
        for (int receive = 1; receive <= MAX_ATTEMPTS; receive++) {
            slack.thenFail(new DeliveryException.Retryable("Slack answered 500 internal_error", null));
            dispatch(delivery(sales, receive));
        }
        assertEquals(MessageStatus.ERROR, reload(sales).status());

        // Redriven: a new SQS message; the first attempt of the new round fails too, and is retried, not given up.
        slack.thenFail(new DeliveryException.Retryable("Slack answered 503 service_unavailable", null));
        assertEquals(1, dispatch(delivery(sales, 1)).size());
        assertEquals(MessageStatus.QUEUED, reload(sales).status());

        assertEquals(List.of(), dispatch(delivery(sales, 2)));
        assertEquals(MessageStatus.SENT, reload(sales).status());
        assertEquals(MAX_ATTEMPTS + 2, reload(sales).attempts(), "the count goes on across rounds");
    }

    @Test
    void aMessageWhoseLastAttemptNeverReportedBackIsGivenUpNotSentAgain() {
        Message sales = stored("m1", "sales", "slack");
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            repository.claim("m1", clock.instant(), Duration.ofSeconds(120), false);
            clock.advance(Duration.ofSeconds(360));
        }

        assertEquals(List.of(), dispatch(delivery(sales, 6)));

        assertEquals(0, slack.calls);
        assertEquals(MessageStatus.ERROR, reload(sales).status());
        assertEquals("attempt 5 did not complete (the dispatcher crashed or timed out); gave up after 5 attempts",
                reload(sales).lastError());
        assertEquals(5, reload(sales).attempts(), "no sixth attempt was made");
        assertEquals(1, queue.deadLettered.size());
    }

    /**
     * A crashed attempt's message comes back when SQS's visibility timeout ends, which may be before its claim's
     * lease does (on a slow machine the claim starts late): that receive finds it Busy. It spends a receive, not an
     * attempt: the message still gets all its attempts, and the count and lastError agree.
     */
    @Test
    void receivesThatFindACrashedAttemptsLeaseStillHeldSpendNoAttempt() {
        Message sales = stored("m1", "sales", "slack");
        int receive = 0;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            slack.thenCrash(new OutOfMemoryError("the container died mid-send"));
            Delivery crashing = delivery(sales, ++receive);
            assertThrows(OutOfMemoryError.class, () -> dispatch(crashing));
            clock.advance(Duration.ofSeconds(60));
            Delivery early = delivery(sales, ++receive);
            assertEquals(List.of(early.sqsMessageId()), dispatch(early), "the lease still holds: it comes back");
            assertEquals(attempt, reload(sales).attempts(), "a busy receive counts no attempt");
            clock.advance(Duration.ofSeconds(61));
        }

        assertEquals(List.of(), dispatch(delivery(sales, ++receive)));

        assertEquals(MAX_ATTEMPTS, slack.calls);
        assertEquals(MessageStatus.ERROR, reload(sales).status());
        assertEquals(MAX_ATTEMPTS, reload(sales).attempts());
        assertEquals("attempt 5 did not complete (the dispatcher crashed or timed out); gave up after 5 attempts",
                reload(sales).lastError());
        assertEquals(1, queue.deadLettered.size());
    }

    @Test
    void aMessageWhoseSlotIsFarOffKeepsItComesBackAndUsesItWithoutBookingAgain() {
        Instant start = clock.instant();
        Destination webhook = new Destination("slack", "landbot-router/slack/sales");
        // Other dispatchers hold the webhook's next ten seconds.
        for (int i = 0; i < 10; i++) {
            pacer.book(webhook, Duration.ofSeconds(1), start);
        }
        Message sales = stored("m1", "sales", "slack");

        assertEquals(1, dispatch(delivery(sales, 1)).size());
        assertEquals(new Message.Waiting(webhook.toString(), start.plusSeconds(10)), reload(sales).waiting());
        assertEquals(List.of(Duration.ofSeconds(10)), queue.delays);
        assertEquals(0, slack.calls);

        clock.set(start.plusSeconds(10));
        assertEquals(List.of(), dispatch(delivery(sales, 2)));
        assertEquals(1, slack.calls);
        assertEquals(start.plusSeconds(11), pacer.book(webhook, Duration.ofSeconds(1), clock.instant()),
                "its own slot was used, not a second one");
    }

    @Test
    void whenThePacingTableCannotBeAskedTheMessageWaitsUnsentAndBooksAfreshLater() {
        boolean[] tableDown = {true};
        Pacer flaky = new Pacer() {
            @Override
            public Instant book(Destination destination, Duration interval, Instant now) {
                if (tableDown[0]) {
                    throw software.amazon.awssdk.core.exception.SdkException.builder().message("UpdateItem failed").build();
                }
                return pacer.book(destination, interval, now);
            }

            @Override
            public void pause(Destination destination, Instant until) {
                pacer.pause(destination, until);
            }
        };
        DispatchService withFlakyTable = new DispatchService(repository, () -> RoutingTable.of(routes.all()),
                ChannelRegistry.of(List.of(slack, email)), queue, RetryPolicy.of(MAX_ATTEMPTS, MAX_RECEIVES), flaky, PACING,
                clock, d -> clock.advance(d), new Metrics("dispatch", clock, metricLines::add));
        Message sales = stored("m1", "sales", "slack");

        assertEquals(1, withFlakyTable.dispatch(List.of(delivery(sales, 1)), clock.instant().plusSeconds(50)).size());
        assertEquals(0, slack.calls, "not sent unpaced");
        assertEquals(MessageStatus.QUEUED, reload(sales).status());
        assertEquals(0, reload(sales).attempts());
        assertEquals(DispatchService.PACING_TABLE, reload(sales).waiting().destination(), "no slot is held");

        tableDown[0] = false;
        clock.set(reload(sales).waiting().nextAttemptAt());
        assertEquals(List.of(), withFlakyTable.dispatch(List.of(delivery(sales, 2)), clock.instant().plusSeconds(50)));
        assertEquals(1, slack.calls);
        assertEquals(clock.instant().plusSeconds(1),
                pacer.book(new Destination("slack", "landbot-router/slack/sales"), Duration.ofSeconds(1), clock.instant()),
                "the send booked its slot");
    }

    @Test
    void emailIsPacedAtTheSesAccountRateByRecipientsNotAtSlacksRate() {
        routes.put(new Route("pricing", new EmailTarget(List.of("a@example.com", "b@example.com"))));
        List<Message> messages = IntStream.range(0, 3).mapToObj(i -> stored("e" + i, "pricing", "email")).toList();

        dispatch(messages.stream().map(m -> delivery(m, 1)).toArray(Delivery[]::new));

        assertEquals(3, email.delivered.size());
        Duration twoRecipients = Duration.ofNanos(Math.round(2e9 / 14));
        assertEquals(List.of(twoRecipients, twoRecipients), sleeps);
    }

    @Test
    void permanentFailureIsMarkedErrorAndDeadLetteredWithoutSpendingRetries() {
        Message sales = stored("m1", "sales", "slack");
        slack.thenFail(new DeliveryException.Permanent("Slack answered 404 channel_not_found", null));

        Delivery delivery = delivery(sales, 1);
        assertEquals(List.of(), dispatch(delivery), "acknowledged: the DLQ has its copy");

        Message failed = reload(sales);
        assertEquals(MessageStatus.ERROR, failed.status());
        assertEquals("Slack answered 404 channel_not_found", failed.lastError());
        assertEquals(List.of(delivery.body()), queue.deadLettered);
    }

    @Test
    void lastReceiveThatFailsIsMarkedErrorAndReleasedToTheDeadLetterQueueAtOnce() {
        Message pricing = stored("m1", "pricing", "email");
        email.thenFail(new DeliveryException.Retryable("SES TooManyRequestsException", null));

        assertEquals(1, dispatch(delivery(pricing, MAX_RECEIVES)).size());

        Message failed = reload(pricing);
        assertEquals(MessageStatus.ERROR, failed.status());
        assertEquals("SES TooManyRequestsException (SQS receives exhausted)", failed.lastError());
        assertEquals(List.of(Duration.ZERO), queue.delays);
        assertTrue(queue.deadLettered.isEmpty(), "SQS moves it on its next receive");
    }

    @Test
    void aCrashDuringTheLastAttemptLeavesTheMessageReadingError() {
        Message pricing = stored("m1", "pricing", "email");
        // The function dies inside the send (out of memory, timeout): nothing after the claim runs.
        email.thenCrash(new OutOfMemoryError("the container died mid-send"));

        assertThrows(OutOfMemoryError.class, () -> dispatch(delivery(pricing, MAX_RECEIVES)));

        assertEquals(1, email.calls, "the crash happened in the channel, after the claim");
        Message crashed = reload(pricing);
        assertEquals(MessageStatus.ERROR, crashed.status());
        assertEquals(DynamoDbMessageRepository.FINAL_ATTEMPT_MARKER, crashed.lastError());
    }

    @Test
    void aRedrivenErrorMessageIsDeliveredAndKeepsItsAttemptHistory() {
        Message pricing = stored("m1", "pricing", "email");
        email.thenFail(new DeliveryException.Retryable("SES throttled", null));
        dispatch(delivery(pricing, MAX_RECEIVES));
        assertEquals(MessageStatus.ERROR, reload(pricing).status());

        // A redriven SQS message is a new message: its receive count starts again.
        assertEquals(List.of(), dispatch(delivery(pricing, 1)));

        Message sent = reload(pricing);
        assertEquals(MessageStatus.SENT, sent.status());
        assertEquals(2, sent.attempts());
    }

    @Test
    void oneFailingRecordOfTenFailsAlone() {
        List<Message> messages = IntStream.range(0, 10).mapToObj(i -> stored("m" + i, "pricing", "email")).toList();
        email.thenFail(new DeliveryException.Retryable("SES throttled", null));

        List<String> failures = service.dispatch(messages.stream().map(m -> delivery(m, 1)).toList(), clock.instant().plusSeconds(50));

        assertEquals(List.of(delivery(messages.get(0), 1).sqsMessageId()), failures);
        assertEquals(9, email.delivered.size());
    }

    @Test
    void unreadableRecordIsReportedAloneAndTheOthersAreDelivered() {
        Message sales = stored("m1", "sales", "slack");
        Delivery garbage = new Delivery("sqs-garbage", "receipt-garbage", "this is not json", 1);

        assertEquals(List.of("sqs-garbage"), dispatch(garbage, delivery(sales, 1)));
        assertEquals(1, slack.delivered.size());
    }

    @Test
    void anUnexpectedChannelExceptionIsRetriedNotLost() {
        Message sales = stored("m1", "sales", "slack");
        slack.thenThrow(new IllegalStateException("boom"));

        assertEquals(1, dispatch(delivery(sales, 1)).size());
        assertEquals(MessageStatus.QUEUED, reload(sales).status());
        assertEquals("IllegalStateException: boom", reload(sales).lastError());
    }

    @Test
    void slackSendsArePacedOnePerSecond() {
        Message a = stored("a", "sales", "slack");
        Message b = stored("b", "sales", "slack");
        Message c = stored("c", "pricing", "email");

        dispatch(delivery(a, 1), delivery(c, 1), delivery(b, 1));

        assertEquals(List.of(Duration.ofSeconds(1)), sleeps, "email is not held up; the second Slack send waits its second");
        assertEquals(2, slack.delivered.size());
    }

    @Test
    void slackTopicsOnDifferentWebhooksDoNotWaitForEachOther() {
        routes.put(new Route("support", new SlackTarget("landbot-router/slack/support")));
        Message a = stored("a", "sales", "slack");
        Message b = stored("b", "support", "slack");
        Message c = stored("c", "sales", "slack");

        dispatch(delivery(a, 1), delivery(b, 1), delivery(c, 1));

        assertEquals(List.of(Duration.ofSeconds(1)), sleeps, "support's webhook has its own pace; only sales' second send waits");
        assertEquals(3, slack.delivered.size());
    }

    @Test
    void aRouteStoredInvalidFailsPermanentlyWithWhatToFixAndSendsNothing() {
        routes.put(new Route("support", ChannelTargets.standard(SlackTarget.DEFAULT_SECRET_PREFIX).read("email", Map.of())));
        Message support = stored("m-support", "support", "email");

        assertEquals(List.of(), dispatch(delivery(support, 1)));

        Message failed = reload(support);
        assertEquals(MessageStatus.ERROR, failed.status());
        assertEquals("the route of topic 'support' is invalid: target.recipients: is required: a list of 1 to 50 email addresses"
                + ": fix it with PUT /topics/support, then redrive", failed.lastError());
        assertEquals(1, queue.deadLettered.size());
        assertEquals(0, email.calls);
    }

    @Test
    void workThatWouldRunPastTheDeadlineIsDeferredNotAttempted() {
        Message a = stored("a", "sales", "slack");
        Message b = stored("b", "sales", "slack");

        List<String> failures = service.dispatch(List.of(delivery(a, 1), delivery(b, 1)), clock.instant().plusMillis(500));

        assertEquals(List.of(delivery(b, 1).sqsMessageId()), failures);
        assertEquals(0, reload(b).attempts());
    }

    @Test
    void aDeferralOnTheLastReceiveStillMarksTheMessageError() {
        Message a = stored("a", "sales", "slack");
        Message b = stored("b", "sales", "slack");

        service.dispatch(List.of(delivery(a, 1), delivery(b, MAX_RECEIVES)), clock.instant().plusMillis(500));

        assertEquals(MessageStatus.ERROR, reload(b).status());
        assertTrue(reload(b).lastError().startsWith("still waiting for slack:landbot-router/slack/sales on its last SQS receive"),
                reload(b).lastError());
    }

    @Test
    void aMessageIngestDiscardedIsDroppedNotDelivered() {
        Message ghost = Message.pending("ghost", "sales", "slack", "x", clock.instant());
        assertEquals(List.of(), dispatch(delivery(ghost, 1)));
        assertEquals(0, slack.calls);
    }

    @Test
    void sentButUnrecordedIsAcknowledgedSoTheCustomerIsNotNotifiedTwice() {
        Message sales = stored("m1", "sales", "slack");
        repository.failMarkSent = true;

        assertEquals(List.of(), dispatch(delivery(sales, 1)));
        assertEquals(1, slack.calls);
    }

    @Test
    void aTopicRoutedToAnUnregisteredChannelFailsPermanently() {
        Message odd = stored("m1", "support", "teams");
        assertEquals(List.of(), dispatch(delivery(odd, 1)));
        assertEquals(MessageStatus.ERROR, reload(odd).status());
        assertEquals(1, queue.deadLettered.size());
    }

    @Test
    void snapStartPrimingRunsWithoutSendingOrRecordingAnything() {
        stored("m1", "sales", "slack");
        com.landbot.router.shared.Priming priming = com.landbot.router.shared.Priming.of("dispatch", service::prime);

        priming.beforeCheckpoint(null);
        priming.afterRestore(null);
        assertEquals(1, slack.primed, "every channel's clients are built and its send rehearsed before the snapshot");
        assertEquals(1, email.primed);
        assertEquals(1, queue.primed, "and the queue's client, which a delivered message does not need");

        assertTrue(priming.prime());
        assertEquals(0, slack.calls + email.calls);
        assertEquals(MessageStatus.QUEUED, repository.find("m1").orElseThrow().status());
        assertTrue(queue.delays.isEmpty() && queue.deadLettered.isEmpty());
    }

    // ---- attempt history (issue 14): one entry per attempt, written with the outcome

    @Test
    void aSentAttemptIsRecordedWithChannelDestinationByNameDurationAndDeliveryId() {
        Message pricing = stored("m-pricing", "pricing", "email");

        dispatch(delivery(pricing, 1));

        List<DeliveryAttempt> history = reload(pricing).history();
        assertEquals(1, history.size());
        DeliveryAttempt attempt = history.get(0);
        assertEquals(DeliveryAttempt.Outcome.SENT, attempt.outcome());
        assertEquals("email", attempt.channel());
        assertEquals("pricing-team@example.com", attempt.destination());
        assertEquals("email-1", attempt.deliveryId());
        assertEquals(clock.instant(), attempt.at());
        assertEquals(Duration.ZERO, attempt.duration(), "the fake clock did not move while the channel ran");
        assertNull(attempt.error());
    }

    @Test
    void rateLimitedThenFailedThenSentKeepsEveryAttemptInOrderAndNamesTheWebhookBySecretNotUrl() {
        Message sales = stored("m-sales", "sales", "slack");
        slack.thenFail(new DeliveryException.RateLimited("Slack answered 429 rate_limited", Duration.ofSeconds(1), null))
                .thenFail(new DeliveryException.Retryable("Slack answered 500 internal_error", null));

        dispatch(delivery(sales, 1));
        clock.advance(Duration.ofSeconds(2));
        dispatch(delivery(sales, 2));
        clock.advance(Duration.ofSeconds(2));
        dispatch(delivery(sales, 3));

        Message sent = reload(sales);
        assertEquals(MessageStatus.SENT, sent.status());
        assertEquals(List.of(DeliveryAttempt.Outcome.RATE_LIMITED, DeliveryAttempt.Outcome.RETRYABLE_FAILURE, DeliveryAttempt.Outcome.SENT),
                sent.history().stream().map(DeliveryAttempt::outcome).toList());
        assertEquals(List.of("Slack answered 429 rate_limited", "Slack answered 500 internal_error"),
                sent.history().subList(0, 2).stream().map(DeliveryAttempt::error).toList());
        assertTrue(sent.history().stream().allMatch(a -> "landbot-router/slack/sales".equals(a.destination())), sent.history().toString());
        assertEquals(2, sent.attempts(), "the 429 is in the history but, being back-pressure, not counted as an attempt");
    }

    @Test
    void aPermanentFailureIsRecordedWithItsError() {
        Message sales = stored("m-sales", "sales", "slack");
        slack.thenFail(new DeliveryException.Permanent("Slack answered 404 channel_not_found", null));

        dispatch(delivery(sales, 1));

        Message failed = reload(sales);
        assertEquals(MessageStatus.ERROR, failed.status());
        assertEquals(1, failed.history().size());
        assertEquals(DeliveryAttempt.Outcome.PERMANENT_FAILURE, failed.history().get(0).outcome());
        assertEquals("Slack answered 404 channel_not_found", failed.history().get(0).error());
    }

    @Test
    void anUnroutedTopicIsAnAttemptWithoutADestination() {
        Message support = stored("m-support", "support", "email");

        dispatch(delivery(support, 1));

        DeliveryAttempt attempt = reload(support).history().get(0);
        assertEquals(DeliveryAttempt.Outcome.PERMANENT_FAILURE, attempt.outcome());
        assertNull(attempt.destination());
        assertTrue(attempt.error().contains("is not routed"), attempt.error());
    }

    @Test
    void theHistoryKeepsTheLatestTwentyAttemptsWhileTheCountGoesOn() {
        Message pricing = stored("m-pricing", "pricing", "email");
        for (int i = 1; i <= 22; i++) {
            email.thenFail(new DeliveryException.Retryable("SES throttled #" + i, null));
        }
        for (int i = 1; i <= 22; i++) {
            dispatch(delivery(pricing, 1));
            clock.advance(Duration.ofSeconds(1));
        }

        Message retried = reload(pricing);
        assertEquals(22, retried.attempts());
        assertEquals(DeliveryAttempt.HISTORY_LIMIT, retried.history().size());
        assertEquals("SES throttled #3", retried.history().get(0).error());
        assertEquals("SES throttled #22", retried.history().get(19).error());
    }

    static final class RecordingQueue implements DispatchQueue {
        final List<Duration> delays = new ArrayList<>();
        final List<String> deadLettered = new ArrayList<>();
        int primed;

        @Override
        public void prime() {
            primed++;
        }

        @Override
        public void delayRetry(String receiptHandle, Duration delay) {
            delays.add(delay);
        }

        @Override
        public void deadLetter(String body) {
            deadLettered.add(body);
        }
    }
}
