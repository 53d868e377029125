package com.landbot.router.dispatch;

import com.landbot.router.shared.Channel;
import com.landbot.router.shared.ChannelRegistry;
import com.landbot.router.shared.Claim;
import com.landbot.router.shared.DeliveryAttempt;
import com.landbot.router.shared.DeliveryException;
import com.landbot.router.shared.DeliveryReceipt;
import com.landbot.router.shared.Destination;
import com.landbot.router.shared.InvalidTarget;
import com.landbot.router.shared.Log;
import com.landbot.router.shared.Message;
import com.landbot.router.shared.MessageRepository;
import com.landbot.router.shared.MessageStatus;
import com.landbot.router.shared.Metrics;
import com.landbot.router.shared.QueuedMessage;
import com.landbot.router.shared.Route;
import com.landbot.router.shared.RouteSource;
import com.landbot.router.shared.RoutingTable;
import com.landbot.router.shared.Target;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Delivers a batch of queued messages, each at most once, and says which SQS records must come back.
 *
 * <p>For each record: claim the message in the table (a conditional write: a duplicate or concurrent delivery
 * finds it SENT or busy and does not send), send it through the channel its topic was routed to, record the
 * outcome. A retryable failure goes back to SQS with a backoff; a permanent one is marked ERROR and moved to the
 * dead-letter queue at once; on the last receive SQS moves it there itself, and the claim has already made it
 * read ERROR. One record's failure never fails the others (partial batch response).
 */
public final class DispatchService {

    /** Sleeps for pacing; a test passes one that advances a fake clock. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /**
     * Longest a record waits in-process for its channel's next slot. Pacing gaps (a second for Slack) are waited
     * out; a long Retry-After is not: the record goes back to SQS for that long instead of a Lambda idling.
     */
    static final Duration MAX_PACING_WAIT = Duration.ofSeconds(5);

    private final MessageRepository repository;
    private final RouteSource routes;
    private final ChannelRegistry channels;
    private final DispatchQueue queue;
    private final RetryPolicy policy;
    private final Pacer pacer;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Metrics metrics;

    /**
     * @param routes the current routing table (the topics table through a short cache): each message goes out
     *               through the channel and target its topic is routed to when it is sent, so a corrected route
     *               applies to retries and redriven messages too
     */
    public DispatchService(MessageRepository repository, RouteSource routes, ChannelRegistry channels,
                           DispatchQueue queue, RetryPolicy policy, Pacer pacer, Clock clock, Sleeper sleeper,
                           Metrics metrics) {
        this.repository = repository;
        this.routes = routes;
        this.metrics = metrics;
        this.channels = channels;
        this.queue = queue;
        this.policy = policy;
        this.pacer = pacer;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /**
     * SnapStart warm-up: reads a queue body, the routes and a message that does not exist (the SDK's marshalling,
     * signing and HTTP path), sending nothing. The Slack client is left to its first message.
     */
    public void prime() {
        QueuedMessage sample = QueuedMessage.fromJson("{\"id\":\"00000000-0000-4000-8000-000000000000\",\"topic\":\"sales\",\"channel\":\"slack\"}");
        repository.find(sample.id() + "-priming");
        // The routes' Scan path too; the table read here is stale after a restore and read again on first use.
        routes.current().route(sample.topic());
    }

    /**
     * @param deadline when the invocation must stop starting work (the function's timeout, less a margin)
     * @return the SQS message ids to report as batch item failures
     */
    public List<String> dispatch(List<Delivery> batch, Instant deadline) {
        List<String> failures = new ArrayList<>();
        for (Delivery delivery : batch) {
            if (!deliver(delivery, deadline)) {
                failures.add(delivery.sqsMessageId());
            }
        }
        return failures;
    }

    /** @return true to acknowledge (delete) the record, false to have SQS deliver it again */
    private boolean deliver(Delivery delivery, Instant deadline) {
        QueuedMessage queued;
        try {
            queued = QueuedMessage.fromJson(delivery.body());
        } catch (IllegalArgumentException e) {
            // Nothing to mark: we cannot tell which message this is. It retries and ends in the DLQ for a person to read.
            Log.error("dispatch.unreadable", "sqsMessageId", delivery.sqsMessageId(), "cause", e.getMessage());
            return false;
        }
        boolean finalAttempt = policy.isFinal(delivery.receiveCount());

        Optional<Route> route;
        try {
            Optional<Route> cached = routes.route(queued.topic());
            // Ingest accepted this topic, so it was routed a moment ago: this container's copy may be seconds
            // behind a topic just added. Only the table itself saying "no such topic" makes it permanent.
            route = cached.isPresent() ? cached : routes.lookup(queued.topic());
        } catch (SdkException e) {
            // No routes were ever read by this container, or the topic's own read failed: nothing can be decided
            // until the topics table answers.
            Log.error("dispatch.routes_unavailable", Log.about(queued, delivery.receiveCount(), "cause", e));
            delay(delivery, policy.backoff(delivery.receiveCount()));
            return false;
        }
        Optional<Route> routed = route;  // effectively final, for the switch's guard below
        if (routed.isPresent()) {
            Destination destination = routed.get().target().destination();
            Instant now = clock.instant();
            Instant slot = pacer.nextSlot(destination, now);
            if (slot.isAfter(deadline) || Duration.between(now, slot).compareTo(MAX_PACING_WAIT) > 0) {
                return defer(delivery, queued, Duration.between(now, slot), finalAttempt,
                        "destination " + destination + " is rate limited");
            }
            if (slot.isAfter(now) && !waitUntil(slot)) {
                return defer(delivery, queued, Duration.ZERO, finalAttempt, "interrupted while pacing");
            }
        }

        Claim claim;
        try {
            claim = repository.claim(queued.id(), clock.instant(), policy.lease(), finalAttempt);
        } catch (SdkException e) {
            Log.error("dispatch.claim_failed", Log.about(queued, delivery.receiveCount(), "cause", e));
            delay(delivery, policy.backoff(delivery.receiveCount()));
            return false;
        }
        return switch (claim) {
            case Claim.NotFound notFound -> {
                // Ingest discards a message whose enqueue it saw fail; if SQS took it after all, the bot was
                // told to retry and did: delivering this copy would be a duplicate.
                Log.warn("dispatch.orphan_dropped",
                        Log.about(queued, delivery.receiveCount(), "sqsMessageId", delivery.sqsMessageId()));
                yield true;
            }
            case Claim.AlreadySent sent -> {
                Log.info("dispatch.duplicate_acknowledged", Log.about(sent.message(), MessageStatus.SENT, "sqsMessageId", delivery.sqsMessageId()));
                yield true;
            }
            case Claim.Busy busy -> {
                Log.info("dispatch.busy", Log.about(busy.message(), busy.message().status(), "why", "another invocation holds the claim"));
                yield false;
            }
            case Claim.Claimed claimed when routed.isEmpty() -> failPermanently(delivery, claimed, notAttempted(claimed,
                    "topic '" + queued.topic() + "' is not routed: add it with PUT /topics/" + queued.topic() + ", then redrive"));
            case Claim.Claimed claimed -> send(delivery, rerouted(claimed, routed.get()), routed.get(), finalAttempt);
        };
    }

    /** The claim with the channel the topic is routed to now, which is the one recorded when it is sent. */
    private static Claim.Claimed rerouted(Claim.Claimed claimed, Route route) {
        if (claimed.message().channel().equals(route.channel())) {
            return claimed;
        }
        Claim.Claimed rerouted = new Claim.Claimed(claimed.message().withChannel(route.channel()), claimed.token(), claimed.previousError());
        Log.info("dispatch.rerouted", Log.about(rerouted.message(), rerouted.message().status(), "acceptedFor", claimed.message().channel()));
        return rerouted;
    }

    private boolean send(Delivery delivery, Claim.Claimed claimed, Route route, boolean finalAttempt) {
        Target target = route.target();
        if (target instanceof InvalidTarget invalid) {
            return failPermanently(delivery, claimed, attempt(claimed, route, clock.instant(), DeliveryAttempt.Outcome.PERMANENT_FAILURE,
                    "the route of topic '" + route.topic() + "' is invalid: " + String.join("; ", invalid.problems())
                            + ": fix it with PUT /topics/" + route.topic() + ", then redrive", null));
        }
        String channelName = claimed.message().channel();
        Optional<Channel<?>> channel = channels.find(channelName);
        if (channel.isEmpty()) {
            return failPermanently(delivery, claimed, notAttempted(claimed, "no channel named '" + channelName + "' is registered"));
        }
        Destination destination = target.destination();
        Instant started = clock.instant();
        DeliveryReceipt receipt;
        try {
            receipt = deliver(channel.get(), claimed.message(), target);
        } catch (DeliveryException e) {
            pacer.sent(destination, started);
            return switch (e) {
                case DeliveryException.Permanent permanent -> failPermanently(delivery, claimed,
                        attempt(claimed, route, started, DeliveryAttempt.Outcome.PERMANENT_FAILURE, permanent.getMessage(), null));
                case DeliveryException.Retryable retryable -> {
                    retryable.retryAfter().ifPresent(wait -> pacer.pause(destination, clock.instant().plus(wait)));
                    // A Retry-After is the channel pushing back, not failing: the history says which.
                    DeliveryAttempt.Outcome outcome = retryable.retryAfter().isPresent()
                            ? DeliveryAttempt.Outcome.RATE_LIMITED : DeliveryAttempt.Outcome.RETRYABLE_FAILURE;
                    yield failRetryably(delivery, claimed, finalAttempt,
                            attempt(claimed, route, started, outcome, retryable.getMessage(), null), retryable.retryAfter());
                }
            };
        } catch (RuntimeException e) {
            // A channel bug or an unexpected client error: not known to be permanent, so it gets the retries.
            pacer.sent(destination, started);
            return failRetryably(delivery, claimed, finalAttempt,
                    attempt(claimed, route, started, DeliveryAttempt.Outcome.RETRYABLE_FAILURE, Log.describe(e), null), Optional.empty());
        }
        pacer.sent(destination, started);
        try {
            DeliveryAttempt sent = attempt(claimed, route, started, DeliveryAttempt.Outcome.SENT, null, receipt.deliveryId());
            if (!repository.markSent(claimed, clock.instant(), receipt.deliveryId(), sent)) {
                Log.warn("dispatch.sent_claim_lost", Log.about(claimed.message(), MessageStatus.SENT, "why", "the lease expired before the send returned"));
            }
        } catch (SdkException e) {
            // Sent, but not recorded. Acknowledging keeps the customer from a second notification; the status
            // stays SENDING (or ERROR on a final attempt) and this line is the record.
            Log.error("dispatch.sent_not_recorded", Log.about(claimed.message(), claimed.message().status(), "deliveryId", receipt.deliveryId(), "cause", e));
        }
        Instant sentAt = clock.instant();
        Log.info("dispatch.sent", Log.about(claimed.message(), MessageStatus.SENT, "deliveryId", receipt.deliveryId()));
        metrics.emit(Map.of("Channel", channelName), properties(claimed.message()),
                Metrics.Value.count("Sent"),
                new Metrics.Value("DeliveryLatency", Duration.between(claimed.message().createdAt(), sentAt).toMillis(), "Milliseconds"),
                new Metrics.Value("Attempts", claimed.message().attempts(), "Count"));
        return true;
    }

    /** One attempt for the message's history; it ends now. */
    private DeliveryAttempt attempt(Claim.Claimed claimed, Route route, Instant started, DeliveryAttempt.Outcome outcome,
                                    String error, String deliveryId) {
        return new DeliveryAttempt(started, claimed.message().channel(), DeliveryAttempt.destinationOf(route), outcome, error,
                Duration.between(started, clock.instant()), deliveryId);
    }

    /** A claimed attempt that ended before any channel was called: it counts, and the history says why. */
    private DeliveryAttempt notAttempted(Claim.Claimed claimed, String error) {
        return new DeliveryAttempt(clock.instant(), claimed.message().channel(), null,
                DeliveryAttempt.Outcome.PERMANENT_FAILURE, error, Duration.ZERO, null);
    }

    /** The channel's own type of target: a channel registered under a name with another type fails here, typed. */
    private static <T extends Target> DeliveryReceipt deliver(Channel<T> channel, Message message, Target target)
            throws DeliveryException {
        if (!channel.targetType().isInstance(target)) {
            throw new DeliveryException.Permanent("channel '" + channel.name() + "' cannot deliver to a "
                    + target.getClass().getSimpleName(), null);
        }
        return channel.deliver(message, channel.targetType().cast(target));
    }

    private boolean failPermanently(Delivery delivery, Claim.Claimed claimed, DeliveryAttempt attempt) {
        String error = attempt.error();
        try {
            repository.markFailed(claimed, clock.instant(), error, attempt);
        } catch (SdkException e) {
            Log.error("dispatch.mark_failed_failed", Log.about(claimed.message(), claimed.message().status(), "cause", e));
            return false;
        }
        try {
            // Straight to the DLQ: retries cannot fix this, and spending them would only delay the operator.
            queue.deadLetter(delivery.body());
        } catch (SdkException e) {
            Log.error("dispatch.dead_letter_failed", Log.about(claimed.message(), MessageStatus.ERROR, "cause", e));
            return false;
        }
        Log.error("dispatch.failed_permanently", Log.about(claimed.message(), MessageStatus.ERROR, "error", error));
        failed(claimed);
        return true;
    }

    private boolean failRetryably(Delivery delivery, Claim.Claimed claimed, boolean finalAttempt, DeliveryAttempt attempt,
                                  Optional<Duration> retryAfter) {
        String error = attempt.error();
        try {
            if (finalAttempt) {
                repository.markFailed(claimed, clock.instant(), error + " (retries exhausted)", attempt);
            } else {
                repository.markRetrying(claimed, clock.instant(), error, attempt);
            }
        } catch (SdkException e) {
            Log.error("dispatch.mark_retry_failed", Log.about(claimed.message(), claimed.message().status(), "cause", e));
        }
        if (finalAttempt) {
            // Visible again at once, so SQS moves it to the DLQ on its next receive rather than in minutes.
            delay(delivery, Duration.ZERO);
            Log.error("dispatch.retries_exhausted", Log.about(claimed.message(), MessageStatus.ERROR, "error", error));
            failed(claimed);
        } else {
            Duration wait = retryAfter.orElseGet(() -> policy.backoff(delivery.receiveCount()));
            delay(delivery, wait);
            Log.warn("dispatch.retrying", Log.about(claimed.message(), MessageStatus.QUEUED,
                    "retryInSeconds", wait.toSeconds(), "error", error));
            metrics.emit(Map.of("Channel", claimed.message().channel()), properties(claimed.message()), Metrics.Value.count("Retried"));
        }
        return false;
    }

    /** Not attempted in this invocation. On the last receive that still ends it: mark it so the DLQ reads ERROR. */
    private boolean defer(Delivery delivery, QueuedMessage queued, Duration wait, boolean finalAttempt, String why) {
        if (finalAttempt) {
            try {
                repository.markExhausted(queued.id(), clock.instant(), "not attempted on its last receive: " + why);
            } catch (SdkException e) {
                Log.error("dispatch.mark_exhausted_failed", Log.about(queued, delivery.receiveCount(), "cause", e));
            }
            delay(delivery, Duration.ZERO);
        } else {
            delay(delivery, wait);
        }
        Log.info("dispatch.deferred", Log.about(queued, delivery.receiveCount(), "why", why, "finalReceive", finalAttempt));
        return false;
    }

    private void failed(Claim.Claimed claimed) {
        metrics.emit(Map.of("Channel", claimed.message().channel()), properties(claimed.message()),
                Metrics.Value.count("Failed"), new Metrics.Value("Attempts", claimed.message().attempts(), "Count"));
    }

    private static Map<String, Object> properties(Message message) {
        return Map.of("messageId", message.id(), "topic", message.topic());
    }

    private void delay(Delivery delivery, Duration wait) {
        try {
            queue.delayRetry(delivery.receiptHandle(), wait);
        } catch (SdkException e) {
            // The queue's own visibility timeout applies instead: a later retry, not a lost one.
            Log.warn("dispatch.delay_failed", "sqsMessageId", delivery.sqsMessageId(), "cause", e);
        }
    }

    private boolean waitUntil(Instant slot) {
        try {
            sleeper.sleep(Duration.between(clock.instant(), slot));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
