package com.landbot.router.emulators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.landbot.router.shared.Claim;
import com.landbot.router.shared.DeliveryAttempt;
import com.landbot.router.shared.DynamoDbMessageRepository;
import com.landbot.router.shared.Message;
import com.landbot.router.shared.MessagePage;
import com.landbot.router.shared.MessageRepository;
import com.landbot.router.shared.MessageSelection;
import com.landbot.router.shared.MessageStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The message state machine ({@link MessageStatus}) as every {@link MessageRepository} must enforce it, run against
 * the messages table on moto and against the in-memory fake the unit tests use: the fake's conditions are proven
 * to be the table's, not just said to be.
 */
abstract class MessageRepositoryContract {

    static final Instant T0 = Instant.parse("2026-11-30T09:00:00Z");
    static final Duration LEASE = Duration.ofSeconds(120);

    /** An empty store. */
    abstract MessageRepository repository();

    private final MessageRepository repository = repository();

    MessageRepository repositoryUnderTest() {
        return repository;
    }

    static String newId() {
        return UUID.randomUUID().toString();
    }

    Message queued(String id) {
        repository.create(Message.pending(id, "sales", "slack", "help", T0));
        assertTrue(repository.markQueued(id, T0.plusMillis(5)));
        return repository.find(id).orElseThrow();
    }

    static DeliveryAttempt attempt(DeliveryAttempt.Outcome outcome) {
        return new DeliveryAttempt(T0, "slack", "landbot-router/slack/sales", outcome,
                outcome == DeliveryAttempt.Outcome.SENT ? null : "Slack answered 500", Duration.ofMillis(40), null);
    }

    Claim.Claimed claimed(String id, Instant at) {
        return assertInstanceOf(Claim.Claimed.class, repository.claim(id, at, LEASE, false));
    }

    @Test
    void aCreatedMessageIsFoundAsStoredAndAnIdIsCreatedOnce() {
        String id = newId();
        Message pending = Message.pending(id, "sales", "slack", "Hi! A demo, please", T0);
        repository.create(pending);

        assertEquals(pending, repository.find(id).orElseThrow());
        assertThrows(IllegalStateException.class, () -> repository.create(pending));
        assertTrue(repository.find(newId()).isEmpty());
    }

    @Test
    void onlyAPendingMessageIsQueuedOrDeleted() {
        String id = newId();
        Message queued = queued(id);
        assertEquals(MessageStatus.QUEUED, queued.status());
        assertEquals(T0.plusMillis(5), queued.queuedAt());
        assertFalse(repository.markQueued(id, T0.plusSeconds(1)), "queued once");
        assertFalse(repository.deleteUnqueued(id), "a queued message stays");

        String unqueued = newId();
        repository.create(Message.pending(unqueued, "sales", "slack", "help", T0));
        assertTrue(repository.deleteUnqueued(unqueued));
        assertTrue(repository.find(unqueued).isEmpty());
    }

    @Test
    void aClaimCountsTheAttemptAndLeasesTheMessageSoADuplicateIsBusyUntilTheLeaseEnds() {
        String id = newId();
        queued(id);

        Claim.Claimed first = claimed(id, T0.plusSeconds(1));
        assertEquals(MessageStatus.SENDING, first.message().status());
        assertEquals(1, first.message().attempts());
        assertEquals(first.message(), repository.find(id).orElseThrow());

        Claim.Busy busy = assertInstanceOf(Claim.Busy.class, repository.claim(id, T0.plusSeconds(2), LEASE, false));
        assertEquals(MessageStatus.SENDING, busy.message().status());
        assertEquals(1, repository.find(id).orElseThrow().attempts(), "a busy claim counts nothing");

        Claim.Claimed again = claimed(id, T0.plusSeconds(1).plus(LEASE).plusMillis(1));
        assertEquals(2, again.message().attempts());
        assertFalse(repository.markSent(first, T0.plusSeconds(200), "late", attempt(DeliveryAttempt.Outcome.SENT)), "the expired claim's token no longer holds");
    }

    @Test
    void aMissingMessageIsNotFoundAndASentOneIsAlreadySent() {
        assertInstanceOf(Claim.NotFound.class, repository.claim(newId(), T0, LEASE, false));

        String id = newId();
        queued(id);
        Claim.Claimed claim = claimed(id, T0.plusSeconds(1));
        assertTrue(repository.markSent(claim, T0.plusSeconds(2), "ses-1", attempt(DeliveryAttempt.Outcome.SENT)));

        Claim.AlreadySent sent = assertInstanceOf(Claim.AlreadySent.class,
                repository.claim(id, T0.plusSeconds(3).plus(LEASE), LEASE, false));
        assertEquals(MessageStatus.SENT, sent.message().status());
        assertEquals("ses-1", sent.message().deliveryId());
        assertEquals(T0.plusSeconds(2), sent.message().sentAt());
    }

    @Test
    void theFinalAttemptIsClaimedStraightIntoErrorWithTheMarker() {
        String id = newId();
        queued(id);

        Claim.Claimed last = assertInstanceOf(Claim.Claimed.class, repository.claim(id, T0.plusSeconds(1), LEASE, true));

        assertEquals(MessageStatus.ERROR, last.message().status());
        Message stored = repository.find(id).orElseThrow();
        assertEquals(MessageStatus.ERROR, stored.status());
        assertEquals(DynamoDbMessageRepository.FINAL_ATTEMPT_MARKER, stored.lastError());
    }

    @Test
    void aRetryReleasesTheClaimWithTheErrorAndASuccessClearsItLeavingItToTheHistory() {
        String id = newId();
        queued(id);
        Claim.Claimed first = claimed(id, T0.plusSeconds(1));
        assertTrue(repository.markRetrying(first, T0.plusSeconds(2), "Slack answered 500", attempt(DeliveryAttempt.Outcome.RETRYABLE_FAILURE)));
        Message retrying = repository.find(id).orElseThrow();
        assertEquals(MessageStatus.QUEUED, retrying.status());
        assertEquals("Slack answered 500", retrying.lastError());

        Claim.Claimed second = claimed(id, T0.plusSeconds(3));
        assertEquals("Slack answered 500", second.previousError());
        assertTrue(repository.markSent(new Claim.Claimed(second.message().withChannel("email"), second.token(), second.previousError()),
                T0.plusSeconds(4), null, attempt(DeliveryAttempt.Outcome.SENT)));
        Message sent = repository.find(id).orElseThrow();
        assertEquals(MessageStatus.SENT, sent.status());
        assertEquals(2, sent.attempts());
        assertEquals("email", sent.channel(), "the channel it went out on");
        assertNull(sent.lastError(), "a delivered message has no error to show; the history keeps the failed attempt's");
        assertEquals(List.of(DeliveryAttempt.Outcome.RETRYABLE_FAILURE, DeliveryAttempt.Outcome.SENT),
                sent.history().stream().map(DeliveryAttempt::outcome).toList());
        assertEquals("Slack answered 500", sent.history().get(0).error());
        assertNull(sent.deliveryId());
    }

    @Test
    void aFailedMessageReadsErrorAndARedriveClaimsItAgain() {
        String id = newId();
        queued(id);
        Claim.Claimed claim = claimed(id, T0.plusSeconds(1));
        assertTrue(repository.markFailed(claim, T0.plusSeconds(2), "Slack answered 404 channel_not_found", attempt(DeliveryAttempt.Outcome.PERMANENT_FAILURE)));
        assertFalse(repository.markFailed(claim, T0.plusSeconds(3), "twice", attempt(DeliveryAttempt.Outcome.PERMANENT_FAILURE)), "the released token holds no more");
        assertEquals(MessageStatus.ERROR, repository.find(id).orElseThrow().status());

        Claim.Claimed redriven = claimed(id, T0.plusSeconds(60));
        assertEquals(2, redriven.message().attempts());
    }

    @Test
    void anExhaustedMessageIsMarkedErrorUnlessSentOrClaimed() {
        String waiting = newId();
        queued(waiting);
        assertTrue(repository.markExhausted(waiting, T0.plusSeconds(1), "not attempted on its last receive"));
        assertEquals(MessageStatus.ERROR, repository.find(waiting).orElseThrow().status());

        String leased = newId();
        queued(leased);
        claimed(leased, T0.plusSeconds(1));
        assertFalse(repository.markExhausted(leased, T0.plusSeconds(2), "x"), "someone is sending it");
        assertTrue(repository.markExhausted(leased, T0.plusSeconds(2).plus(LEASE), "x"), "once the lease ran out");

        String sent = newId();
        queued(sent);
        assertTrue(repository.markSent(claimed(sent, T0.plusSeconds(1)), T0.plusSeconds(2), null, attempt(DeliveryAttempt.Outcome.SENT)));
        assertFalse(repository.markExhausted(sent, T0.plusSeconds(3).plus(LEASE), "x"));
        assertFalse(repository.markExhausted(newId(), T0, "x"), "nothing to mark");
    }

    @Test
    void aStatusIsListedNewestFirstInPagesAndAForeignCursorIsRefused() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = newId();
            repository.create(Message.pending(id, "sales", "slack", "help " + i, T0.plusSeconds(i)));
            ids.add(0, id);
        }
        MessagePage first = repository.listByStatus(MessageStatus.PENDING, 2, null);
        MessagePage second = repository.listByStatus(MessageStatus.PENDING, 2, first.nextCursor());
        MessagePage last = repository.listByStatus(MessageStatus.PENDING, 2, second.nextCursor());

        List<String> listed = new ArrayList<>();
        for (MessagePage page : List.of(first, second, last)) {
            page.messages().forEach(m -> listed.add(m.id()));
        }
        assertEquals(ids, listed);
        assertNull(last.nextCursor());
        assertEquals(List.of(), repository.listByStatus(MessageStatus.SENT, 10, null).messages());
        assertThrows(IllegalArgumentException.class, () -> repository.listByStatus(MessageStatus.PENDING, 2, "bm90LWEtY3Vyc29y"));
    }

    // ---- attempt history and operators' retries (issue 14)

    @Test
    void eachOutcomeAddsItsAttemptToTheHistoryWhichKeepsTheLatestTwenty() {
        String id = newId();
        queued(id);
        Instant at = T0;
        for (int i = 1; i <= 22; i++) {
            at = at.plusSeconds(1);
            Claim.Claimed claim = claimed(id, at);
            assertTrue(repository.markRetrying(claim, at, "Slack answered 500 #" + i, new DeliveryAttempt(at, "slack",
                    "landbot-router/slack/sales", DeliveryAttempt.Outcome.RETRYABLE_FAILURE, "Slack answered 500 #" + i,
                    Duration.ofMillis(i), null)));
        }
        Claim.Claimed last = claimed(id, at.plusSeconds(1));
        DeliveryAttempt sent = new DeliveryAttempt(at.plusSeconds(1), "email", "pricing-team@example.com",
                DeliveryAttempt.Outcome.SENT, null, Duration.ofMillis(250), "ses-23");
        assertTrue(repository.markSent(last, at.plusSeconds(2), "ses-23", sent));

        Message stored = repository.find(id).orElseThrow();
        assertEquals(23, stored.attempts());
        assertEquals(DeliveryAttempt.HISTORY_LIMIT, stored.history().size());
        assertEquals("Slack answered 500 #4", stored.history().get(0).error(), "the oldest three are dropped");
        assertEquals(Duration.ofMillis(4), stored.history().get(0).duration());
        assertEquals(sent, stored.history().get(19), "every field read back as written");
        assertEquals(stored.history(), repository.listByStatus(MessageStatus.SENT, 10, null).messages().get(0).history());
    }

    @Test
    void anErrorMessageIsRetriedOnceAndAWithdrawnRetryReadsErrorAgainWithItsHistory() {
        String id = newId();
        queued(id);
        assertTrue(repository.markFailed(claimed(id, T0.plusSeconds(1)), T0.plusSeconds(2), "Slack answered 404",
                attempt(DeliveryAttempt.Outcome.PERMANENT_FAILURE)));
        Instant requested = T0.plusSeconds(10);

        assertTrue(repository.requestRetry(id, requested));
        Message queued = repository.find(id).orElseThrow();
        assertEquals(MessageStatus.QUEUED, queued.status());
        assertEquals(requested, queued.retryRequestedAt());
        assertEquals(1, queued.history().size());
        assertEquals("Slack answered 404", queued.lastError());
        assertFalse(repository.requestRetry(id, requested.plusSeconds(1)), "of two retries, one wins");

        assertFalse(repository.withdrawRetry(id, requested.plusSeconds(1)), "only the request that queued it withdraws it");
        assertTrue(repository.withdrawRetry(id, requested));
        assertEquals(MessageStatus.ERROR, repository.find(id).orElseThrow().status());
        assertEquals(1, repository.find(id).orElseThrow().history().size());

        assertFalse(repository.requestRetry(newId(), requested), "nothing to retry");
        String sent = newId();
        queued(sent);
        assertTrue(repository.markSent(claimed(sent, T0.plusSeconds(1)), T0.plusSeconds(2), null, attempt(DeliveryAttempt.Outcome.SENT)));
        assertFalse(repository.requestRetry(sent, requested), "a sent message is not retried");
        String onItsWay = newId();
        queued(onItsWay);
        assertFalse(repository.requestRetry(onItsWay, requested), "a queued message is not retried");
    }

    @Test
    void aMessageWhoseFinalAttemptHoldsTheClaimIsNotRetriedUntilTheLeaseEnds() {
        String id = newId();
        queued(id);
        assertInstanceOf(Claim.Claimed.class, repository.claim(id, T0.plusSeconds(1), LEASE, true));
        assertEquals(MessageStatus.ERROR, repository.find(id).orElseThrow().status());

        assertFalse(repository.requestRetry(id, T0.plusSeconds(2)));
        assertTrue(repository.requestRetry(id, T0.plusSeconds(2).plus(LEASE)), "a crashed final attempt's message can be retried");
    }

    @Test
    void aSelectionTakesATopicAndATimeRangeAndEveryStatusIsCounted() {
        List<String> sales = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String id = newId();
            repository.create(Message.pending(id, "sales", "slack", "help", T0.plusSeconds(i)));
            sales.add(0, id);
        }
        String pricing = newId();
        repository.create(Message.pending(pricing, "pricing", "email", "help", T0.plusSeconds(2)));

        List<String> listed = new ArrayList<>();
        String cursor = null;
        do {
            MessagePage page = repository.listByStatus(MessageStatus.PENDING, new MessageSelection("sales", null, null), 2, cursor);
            assertTrue(page.messages().size() <= 2);
            page.messages().forEach(m -> listed.add(m.id()));
            cursor = page.nextCursor();
        } while (cursor != null);
        assertEquals(sales, listed, "the topic's messages, newest first, none twice");

        MessagePage range = repository.listByStatus(MessageStatus.PENDING,
                new MessageSelection(null, T0.plusSeconds(1), T0.plusSeconds(3)), 10, null);
        assertEquals(List.of(sales.get(1), sales.get(2)), range.messages().stream().filter(m -> m.topic().equals("sales")).map(Message::id).toList(),
                "from inclusive, to exclusive");
        assertEquals(3, range.messages().size(), "the pricing message at +2 s is in the range too");

        assertEquals(5, repository.countByStatus(MessageStatus.PENDING));
        assertEquals(0, repository.countByStatus(MessageStatus.ERROR));
    }

    @Test
    void aWaitingMessageGivesItsAttemptBackShowsItsSlotAndTheNextClaimCarriesTheSlotOnce() {
        String id = newId();
        queued(id);
        Claim.Claimed first = claimed(id, T0.plusSeconds(1));
        Message.Waiting slot = new Message.Waiting("slack:landbot-router/slack/sales", T0.plusSeconds(30));

        assertTrue(repository.markWaiting(first, T0.plusSeconds(1), slot, null));

        Message waiting = repository.find(id).orElseThrow();
        assertEquals(MessageStatus.QUEUED, waiting.status());
        assertEquals(0, waiting.attempts(), "waiting for a rate limit is not an attempt");
        assertEquals(slot, waiting.waiting());
        assertNull(waiting.lastError());
        Claim.Claimed second = claimed(id, T0.plusSeconds(30));
        assertEquals(slot, second.message().waiting(), "the claim hands over the slot it waited for");
        assertNull(repository.find(id).orElseThrow().waiting(), "and the table stops showing it");
        assertTrue(repository.markSent(second, T0.plusSeconds(31), null, attempt(DeliveryAttempt.Outcome.SENT)));
        assertEquals(1, repository.find(id).orElseThrow().attempts());
    }

    @Test
    void attemptsThisRoundStartAgainAfterErrorAndAnAbandonedClaimCountsNoAttempt() {
        String id = newId();
        queued(id);
        Claim.Claimed first = claimed(id, T0);
        assertEquals(1, first.attemptsThisRound());
        assertTrue(repository.markFailed(first, T0.plusSeconds(1), "Slack answered 500; gave up", attempt(DeliveryAttempt.Outcome.RETRYABLE_FAILURE)));

        Claim.Claimed redriven = claimed(id, T0.plusSeconds(2));
        assertEquals(2, redriven.message().attempts());
        assertEquals(1, redriven.attemptsThisRound(), "a redrive starts a new round");

        assertTrue(repository.markAbandoned(redriven, T0.plusSeconds(3), "attempt 1 did not complete"));
        Message abandoned = repository.find(id).orElseThrow();
        assertEquals(MessageStatus.ERROR, abandoned.status());
        assertEquals(1, abandoned.attempts(), "the abandoning claim made no attempt");
        assertEquals(1, claimed(id, T0.plusSeconds(4)).attemptsThisRound());
    }
}
