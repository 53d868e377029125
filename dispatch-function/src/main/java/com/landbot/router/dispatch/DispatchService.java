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
import com.landbot.router.shared.Target;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Delivers a batch of queued messages, each at most once, and says which SQS records must come back.
 *
 * <p>For each record: claim the message in the table (a conditional write: a duplicate or concurrent delivery
 * finds it SENT or busy and does not send), book a send slot at its destination ({@link Pacer}, shared by every
 * dispatcher), send it through the channel its topic is routed to when the slot comes, record the outcome.
 *
 * <p>Back-pressure is not failure: a slot too far off to wait for here, a 429 and its Retry-After, a throttled SES
 * call put the message back to wait for a booked slot ({@code Message.Waiting}) without spending an attempt. A real
 * failure counts: retryable ones go back to SQS with a backoff until {@link RetryPolicy#maxAttempts()} attempts,
 * then ERROR and the dead-letter queue, as at once for a permanent one. SQS's maxReceiveCount is only the safety
 * net (crashes, unreadable records); on that receive the claim has already made the message read ERROR.
 *
 * <p>Records for different destinations are delivered concurrently (one virtual thread per destination), records
 * for one destination in order: throughput grows with destinations. One record's failure never fails the others
 * (partial batch response).
 */
public final class DispatchService {

    /** Sleeps for pacing; a test passes one that advances a fake clock. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /**
     * Longest a record waits in-process for its slot. A slot further off is kept and the record comes back for it
     * through SQS, instead of a Lambda idling.
     */
    static final Duration MAX_PACING_WAIT = Duration.ofSeconds(5);

    /** How long a destination is held back after it throttled us without saying for how long (SES). */
    static final Duration DEFAULT_RATE_LIMIT_PAUSE = Duration.ofSeconds(1);

    private final MessageRepository repository;
    private final RouteSource routes;
    private final ChannelRegistry channels;
    private final DispatchQueue queue;
    private final RetryPolicy policy;
    private final Pacer pacer;
    private final PacingRules pacing;
    private final boolean destinationsInParallel;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Metrics metrics;

    /**
     * @param routes the current routing table (the topics table through a short cache): each message goes out
     *               through the channel and target its topic is routed to when it is sent, so a corrected route
     *               applies to retries and redriven messages too
     */
    public DispatchService(MessageRepository repository, RouteSource routes, ChannelRegistry channels,
                           DispatchQueue queue, RetryPolicy policy, Pacer pacer, PacingRules pacing,
                           boolean destinationsInParallel, Clock clock, Sleeper sleeper, Metrics metrics) {
        this.repository = repository;
        this.routes = routes;
        this.metrics = metrics;
        this.channels = channels;
        this.queue = queue;
        this.policy = policy;
        this.pacer = pacer;
        this.pacing = pacing;
        this.destinationsInParallel = destinationsInParallel;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Destinations one after another, in batch order: what tests with a fake clock need. */
    public DispatchService(MessageRepository repository, RouteSource routes, ChannelRegistry channels,
                           DispatchQueue queue, RetryPolicy policy, Pacer pacer, PacingRules pacing, Clock clock,
                           Sleeper sleeper, Metrics metrics) {
        this(repository, routes, channels, queue, policy, pacer, pacing, false, clock, sleeper, metrics);
    }

    /**
     * SnapStart warm-up: reads a queue body, the routes and a message that does not exist (the SDK's marshalling,
     * signing, HTTP and unmarshalling path) and rehearses the claim and status writes (built, marshalled, signed,
     * not sent), sending and recording nothing. The Slack client is left to its first message.
     */
    public void prime() {
        QueuedMessage sample = QueuedMessage.fromJson("{\"id\":\"00000000-0000-4000-8000-000000000000\",\"topic\":\"sales\",\"channel\":\"slack\"}");
        repository.find(sample.id() + "-priming");
        // The routes' Scan path too; the table read here is stale after a restore and read again on first use.
        routes.current().route(sample.topic());
        // The claim and the status writes, marshalled and signed but not sent.
        repository.rehearseWrites();
        // Each channel's clients built and its send rehearsed: a restored container's first delivery pays neither.
        channels.all().forEach(Channel::prime);
        queue.prime();
    }

    /**
     * @param deadline when the invocation must stop starting work (the function's timeout, less a margin)
     * @return the SQS message ids to report as batch item failures
     */
    public List<String> dispatch(List<Delivery> batch, Instant deadline) {
        boolean[] acknowledged = new boolean[batch.size()];
        Map<Destination, List<Integer>> byDestination = new LinkedHashMap<>();
        Routed[] routed = new Routed[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            routed[i] = route(batch.get(i));
            if (routed[i] != null) {
                byDestination.computeIfAbsent(routed[i].destination(), d -> new ArrayList<>()).add(i);
            }
        }
        List<Runnable> destinations = byDestination.values().stream().<Runnable>map(indexes -> () -> {
            for (int i : indexes) {
                acknowledged[i] = deliver(routed[i], deadline);
            }
        }).toList();
        if (destinationsInParallel && destinations.size() > 1) {
            // Virtual threads: each mostly waits on a slot or an HTTP answer.
            List<Future<?>> running = new ArrayList<>();
            try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
                destinations.forEach(destination -> running.add(executor.submit(destination)));
            }
            for (Future<?> done : running) {
                rethrowCrash(done);
            }
        } else {
            destinations.forEach(Runnable::run);
        }
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            if (!acknowledged[i]) {
                failures.add(batch.get(i).sqsMessageId());
            }
        }
        return failures;
    }

    /** A crash in one destination's thread crashes the invocation, as it would have without threads. */
    private static void rethrowCrash(Future<?> done) {
        try {
            done.get();
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case Error error -> throw error;
                case RuntimeException runtime -> throw runtime;
                default -> throw new IllegalStateException(e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** A record read and routed: what it is, where it goes now, and the destination it is paced at. */
    private record Routed(Delivery delivery, QueuedMessage queued, Optional<Route> route, Destination destination) {
    }

    /** What a message waits for when the pacing table could not be asked: no slot is held. */
    static final String PACING_TABLE = "pacing-table";

    /** Where a message whose topic has no route is grouped: it is failed, never sent or paced. */
    private static final Destination UNROUTED = new Destination("none", "(not routed)");

    /** @return null when the record cannot be delivered in this invocation (it is left to come back) */
    private Routed route(Delivery delivery) {
        QueuedMessage queued;
        try {
            queued = QueuedMessage.fromJson(delivery.body());
        } catch (IllegalArgumentException e) {
            // Nothing to mark: we cannot tell which message this is. It retries and ends in the DLQ for a person to read.
            Log.error("dispatch.unreadable", "sqsMessageId", delivery.sqsMessageId(), "cause", e.getMessage());
            return null;
        }
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
            delay(delivery, policy.baseBackoff());
            return null;
        }
        return new Routed(delivery, queued, route, route.map(r -> r.target().destination()).orElse(UNROUTED));
    }

    /** @return true to acknowledge (delete) the record, false to have SQS deliver it again */
    private boolean deliver(Routed routed, Instant deadline) {
        Delivery delivery = routed.delivery();
        QueuedMessage queued = routed.queued();
        boolean finalReceive = policy.isFinalReceive(delivery.receiveCount());
        if (!clock.instant().isBefore(deadline)) {
            return defer(delivery, queued, finalReceive, "the invocation ran out of time before its turn");
        }
        Claim claim;
        try {
            claim = repository.claim(queued.id(), clock.instant(), policy.lease(), finalReceive);
        } catch (SdkException e) {
            Log.error("dispatch.claim_failed", Log.about(queued, delivery.receiveCount(), "cause", e));
            delay(delivery, policy.baseBackoff());
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
            case Claim.Claimed claimed when routed.route().isEmpty() -> failPermanently(delivery, claimed,
                    "topic '" + queued.topic() + "' is not routed: add it with PUT /topics/" + queued.topic() + ", then redrive");
            case Claim.Claimed claimed when routed.route().get().target() instanceof InvalidTarget invalid -> failPermanently(delivery,
                    claimed, "the route of topic '" + queued.topic() + "' is invalid: " + String.join("; ", invalid.problems())
                            + ": fix it with PUT /topics/" + queued.topic() + ", then redrive");
            case Claim.Claimed claimed when policy.givesUpAfter(claimed.attemptsThisRound() - 1) -> abandon(delivery, claimed);
            case Claim.Claimed claimed -> paceAndSend(delivery, rerouted(claimed, routed.route().get()), routed.route().get(),
                    routed.destination(), finalReceive, deadline);
        };
    }

    /** Waits for the message's slot at its destination (booked now, or held from an earlier receive), then sends. */
    private boolean paceAndSend(Delivery delivery, Claim.Claimed claimed, Route route, Destination destination,
                                boolean finalReceive, Instant deadline) {
        Instant now = clock.instant();
        Message.Waiting held = claimed.message().waiting();
        Instant slot;
        if (held != null && held.destination().equals(destination.toString())) {
            slot = held.nextAttemptAt();
        } else {
            try {
                slot = pacer.book(destination, pacing.interval(route.target()), now);
            } catch (RuntimeException e) {
                // The pacing table did not answer: sending unpaced could set off the receiver's limit for everyone.
                // No slot is held, so the message waits for the table, not for a slot it would reuse.
                Log.error("dispatch.pacing_unavailable", Log.about(claimed.message(), claimed.message().status(), "cause", e));
                return waitForSlot(delivery, claimed, PACING_TABLE, now.plus(policy.baseBackoff()), finalReceive, "the pacing table is unavailable", null);
            }
        }
        if (slot.isAfter(now)) {
            if (Duration.between(now, slot).compareTo(MAX_PACING_WAIT) > 0 || slot.isAfter(deadline)) {
                return waitForSlot(delivery, claimed, destination.toString(), slot, finalReceive, "paced", null);
            }
            if (!waitUntil(slot)) {
                return waitForSlot(delivery, claimed, destination.toString(), slot, finalReceive, "interrupted while pacing", null);
            }
        }
        return send(delivery, claimed, route, destination, finalReceive);
    }

    /** The claim with the channel the topic is routed to now, which is the one recorded when it is sent. */
    private static Claim.Claimed rerouted(Claim.Claimed claimed, Route route) {
        if (claimed.message().channel().equals(route.channel())) {
            return claimed;
        }
        Claim.Claimed rerouted = claimed.with(claimed.message().withChannel(route.channel()));
        Log.info("dispatch.rerouted", Log.about(rerouted.message(), rerouted.message().status(), "acceptedFor", claimed.message().channel()));
        return rerouted;
    }

    private boolean send(Delivery delivery, Claim.Claimed claimed, Route route, Destination destination, boolean finalReceive) {
        String channelName = claimed.message().channel();
        Optional<Channel<?>> channel = channels.find(channelName);
        if (channel.isEmpty()) {
            return failPermanently(delivery, claimed, "no channel named '" + channelName + "' is registered");
        }
        Instant started = clock.instant();
        DeliveryReceipt receipt;
        try {
            receipt = deliver(channel.get(), claimed.message(), route.target());
        } catch (DeliveryException e) {
            return switch (e) {
                case DeliveryException.Permanent permanent -> failPermanently(delivery, claimed, permanent.getMessage(),
                        attempt(claimed, route, started, DeliveryAttempt.Outcome.PERMANENT_FAILURE, permanent.getMessage(), null));
                case DeliveryException.RateLimited rateLimited -> rateLimited(delivery, claimed, route, destination, finalReceive, rateLimited,
                        attempt(claimed, route, started, DeliveryAttempt.Outcome.RATE_LIMITED, rateLimited.getMessage(), null));
                case DeliveryException.Retryable retryable -> failRetryably(delivery, claimed, finalReceive,
                        attempt(claimed, route, started, DeliveryAttempt.Outcome.RETRYABLE_FAILURE, retryable.getMessage(), null));
            };
        } catch (RuntimeException e) {
            // A channel bug or an unexpected client error: not known to be permanent, so it gets the retries.
            return failRetryably(delivery, claimed, finalReceive,
                    attempt(claimed, route, started, DeliveryAttempt.Outcome.RETRYABLE_FAILURE, Log.describe(e), null));
        }
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

    /** The channel's own type of target: a channel registered under a name with another type fails here, typed. */
    private static <T extends Target> DeliveryReceipt deliver(Channel<T> channel, Message message, Target target)
            throws DeliveryException {
        if (!channel.targetType().isInstance(target)) {
            throw new DeliveryException.Permanent("channel '" + channel.name() + "' cannot deliver to a "
                    + target.getClass().getSimpleName(), null);
        }
        return channel.deliver(message, channel.targetType().cast(target));
    }

    /** One attempt for the message's history, from {@code started} to now. */
    private DeliveryAttempt attempt(Claim.Claimed claimed, Route route, Instant started, DeliveryAttempt.Outcome outcome,
                                    String error, String deliveryId) {
        return new DeliveryAttempt(started, claimed.message().channel(), DeliveryAttempt.destinationOf(route), outcome, error,
                Duration.between(started, clock.instant()), deliveryId);
    }

    /** A claimed attempt that ended before any channel was called (not routed, no such channel): the history says why. */
    private boolean failPermanently(Delivery delivery, Claim.Claimed claimed, String error) {
        return failPermanently(delivery, claimed, error, new DeliveryAttempt(clock.instant(), claimed.message().channel(), null,
                DeliveryAttempt.Outcome.PERMANENT_FAILURE, error, Duration.ZERO, null));
    }

    private boolean failPermanently(Delivery delivery, Claim.Claimed claimed, String error, DeliveryAttempt attempt) {
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

    /** Its last allowed attempt crashed or timed out before reporting back: ERROR and the DLQ, not a send more. */
    private boolean abandon(Delivery delivery, Claim.Claimed claimed) {
        int made = claimed.message().attempts() - 1;
        String error = "attempt " + made + " did not complete (the dispatcher crashed or timed out); gave up after "
                + policy.maxAttempts() + " attempts";
        try {
            repository.markAbandoned(claimed, clock.instant(), error);
            queue.deadLetter(delivery.body());
        } catch (SdkException e) {
            Log.error("dispatch.abandon_failed", Log.about(claimed.message(), claimed.message().status(), "cause", e));
            return false;
        }
        Log.error("dispatch.failed_permanently", Log.about(claimed.message(), MessageStatus.ERROR, "error", error));
        failed(claimed);
        return true;
    }

    /** Given up after the policy's real attempts: ERROR, and the DLQ at once, as for a permanent failure. */
    private boolean giveUp(Delivery delivery, Claim.Claimed claimed, String error, DeliveryAttempt attempt) {
        return failPermanently(delivery, claimed, error + "; gave up after " + policy.maxAttempts() + " attempts", attempt);
    }

    private boolean failRetryably(Delivery delivery, Claim.Claimed claimed, boolean finalReceive, DeliveryAttempt attempt) {
        String error = attempt.error();
        int attempts = claimed.attemptsThisRound();
        if (policy.givesUpAfter(attempts)) {
            return giveUp(delivery, claimed, error, attempt);
        }
        try {
            if (finalReceive) {
                repository.markFailed(claimed, clock.instant(), error + " (SQS receives exhausted)", attempt);
            } else {
                repository.markRetrying(claimed, clock.instant(), error, attempt);
            }
        } catch (SdkException e) {
            Log.error("dispatch.mark_retry_failed", Log.about(claimed.message(), claimed.message().status(), "cause", e));
        }
        if (finalReceive) {
            // Visible again at once, so SQS moves it to the DLQ on its next receive rather than in minutes.
            delay(delivery, Duration.ZERO);
            Log.error("dispatch.retries_exhausted", Log.about(claimed.message(), MessageStatus.ERROR, "error", error));
            failed(claimed);
        } else {
            Duration wait = policy.backoff(attempts);
            delay(delivery, wait);
            Log.warn("dispatch.retrying", Log.about(claimed.message(), MessageStatus.QUEUED,
                    "retryInSeconds", wait.toSeconds(), "error", error));
            metrics.emit(Map.of("Channel", claimed.message().channel()), properties(claimed.message()), Metrics.Value.count("Retried"));
        }
        return false;
    }

    /**
     * The receiver said "slow down": hold the destination back for its Retry-After (every dispatcher sees it), and
     * have the message wait for the next slot after that. Not a failed attempt.
     */
    private boolean rateLimited(Delivery delivery, Claim.Claimed claimed, Route route, Destination destination,
                                boolean finalReceive, DeliveryException.RateLimited e, DeliveryAttempt attempt) {
        Instant now = clock.instant();
        metrics.emit(Map.of("Channel", claimed.message().channel()), properties(claimed.message()), Metrics.Value.count("RateLimited"));
        Instant slot;
        try {
            Instant pausedUntil = now.plus(e.retryAfter().orElse(DEFAULT_RATE_LIMIT_PAUSE));
            pacer.pause(destination, pausedUntil);
            Instant booked = pacer.book(destination, pacing.interval(route.target()), now);
            // An unpaced destination (interval zero) books nothing, but its Retry-After still holds.
            slot = booked.isAfter(pausedUntil) ? booked : pausedUntil;
        } catch (RuntimeException pacingFailed) {
            Log.error("dispatch.pacing_unavailable", Log.about(claimed.message(), claimed.message().status(), "cause", pacingFailed));
            return waitForSlot(delivery, claimed, PACING_TABLE, now.plus(e.retryAfter().orElse(policy.baseBackoff())),
                    finalReceive, e.getMessage(), attempt);
        }
        return waitForSlot(delivery, claimed, destination.toString(), slot, finalReceive, e.getMessage(), attempt);
    }

    /**
     * Back-pressure: the message keeps its slot and comes back for it, its attempt given back. On SQS's last
     * receive (the safety net) it cannot come back, so it ends ERROR like any message that reaches the DLQ.
     */
    /** @param attempt the send the receiver pushed back (for the history), or null when nothing was sent */
    private boolean waitForSlot(Delivery delivery, Claim.Claimed claimed, String destination, Instant slot,
                                boolean finalReceive, String why, DeliveryAttempt attempt) {
        Instant now = clock.instant();
        if (finalReceive) {
            String error = "still waiting for " + destination + " on its last SQS receive (" + why + ")";
            try {
                repository.markFailed(claimed, now, error, attempt);
            } catch (SdkException e) {
                Log.error("dispatch.mark_failed_failed", Log.about(claimed.message(), claimed.message().status(), "cause", e));
            }
            delay(delivery, Duration.ZERO);
            Log.error("dispatch.retries_exhausted", Log.about(claimed.message(), MessageStatus.ERROR, "error", error));
            failed(claimed);
            return false;
        }
        try {
            repository.markWaiting(claimed, now, new Message.Waiting(destination, slot), attempt);
        } catch (SdkException e) {
            // The slot is still held; the lease ends and the status reads SENDING until the message comes back.
            Log.error("dispatch.mark_waiting_failed", Log.about(claimed.message(), claimed.message().status(), "cause", e));
        }
        // Rounded up: a record shown early would wait in-process for the rest, one shown late loses the slot's time.
        delay(delivery, Duration.ofMillis(Math.max(0, Duration.between(now, slot).toMillis() + 999) / 1000 * 1000));
        Log.info("dispatch.waiting", Log.about(claimed.message(), MessageStatus.QUEUED,
                "destination", destination, "nextAttemptAt", slot.toString(), "why", why));
        return false;
    }

    /** Not claimed in this invocation. On the last receive that still ends it: mark it so the DLQ reads ERROR. */
    private boolean defer(Delivery delivery, QueuedMessage queued, boolean finalReceive, String why) {
        if (finalReceive) {
            try {
                repository.markExhausted(queued.id(), clock.instant(), "not attempted on its last receive: " + why);
            } catch (SdkException e) {
                Log.error("dispatch.mark_exhausted_failed", Log.about(queued, delivery.receiveCount(), "cause", e));
            }
        }
        delay(delivery, Duration.ZERO);
        Log.info("dispatch.deferred", Log.about(queued, delivery.receiveCount(), "why", why, "finalReceive", finalReceive));
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
            // The slot may have come while the record was being looked at: then there is nothing to wait for.
            Duration left = Duration.between(clock.instant(), slot);
            if (left.isPositive()) {
                sleeper.sleep(left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
