package com.landbot.router.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.landbot.router.shared.Claim;
import com.landbot.router.shared.DynamoDbMessageRepository;
import com.landbot.router.shared.Message;
import com.landbot.router.shared.MessagePage;
import com.landbot.router.shared.MessageRepository;
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
        assertFalse(repository.markSent(first, T0.plusSeconds(200), "late"), "the expired claim's token no longer holds");
    }

    @Test
    void aMissingMessageIsNotFoundAndASentOneIsAlreadySent() {
        assertInstanceOf(Claim.NotFound.class, repository.claim(newId(), T0, LEASE, false));

        String id = newId();
        queued(id);
        Claim.Claimed claim = claimed(id, T0.plusSeconds(1));
        assertTrue(repository.markSent(claim, T0.plusSeconds(2), "ses-1"));

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
    void aRetryReleasesTheClaimWithTheErrorAndASuccessKeepsTheEarlierErrorAsHistory() {
        String id = newId();
        queued(id);
        Claim.Claimed first = claimed(id, T0.plusSeconds(1));
        assertTrue(repository.markRetrying(first, T0.plusSeconds(2), "Slack answered 500"));
        Message retrying = repository.find(id).orElseThrow();
        assertEquals(MessageStatus.QUEUED, retrying.status());
        assertEquals("Slack answered 500", retrying.lastError());

        Claim.Claimed second = claimed(id, T0.plusSeconds(3));
        assertEquals("Slack answered 500", second.previousError());
        assertTrue(repository.markSent(new Claim.Claimed(second.message().withChannel("email"), second.token(), second.previousError()),
                T0.plusSeconds(4), null));
        Message sent = repository.find(id).orElseThrow();
        assertEquals(MessageStatus.SENT, sent.status());
        assertEquals(2, sent.attempts());
        assertEquals("email", sent.channel(), "the channel it went out on");
        assertEquals("Slack answered 500", sent.lastError());
        assertNull(sent.deliveryId());
    }

    @Test
    void aFailedMessageReadsErrorAndARedriveClaimsItAgain() {
        String id = newId();
        queued(id);
        Claim.Claimed claim = claimed(id, T0.plusSeconds(1));
        assertTrue(repository.markFailed(claim, T0.plusSeconds(2), "Slack answered 404 channel_not_found"));
        assertFalse(repository.markFailed(claim, T0.plusSeconds(3), "twice"), "the released token holds no more");
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
        assertTrue(repository.markSent(claimed(sent, T0.plusSeconds(1)), T0.plusSeconds(2), null));
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
}
