package com.landbot.router.emulators;

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
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * A {@link MessageRepository} in a map, with the same conditions as the DynamoDB one (proven by the contract
 * test both run, {@code MessageRepositoryContract}), and switches to make operations fail like an unavailable table.
 */
public final class InMemoryMessageRepository implements MessageRepository {

    private final Map<String, Message> messages = new ConcurrentHashMap<>();
    public volatile boolean failCreate;
    public volatile boolean failMarkQueued;
    public volatile boolean failDelete;
    public volatile boolean failFind;
    public volatile boolean failClaim;
    public volatile boolean failMarkSent;
    public volatile boolean failRequestRetry;
    private final Map<String, Lease> leases = new ConcurrentHashMap<>();
    /** As the table's attemptsAtError: the attempt count when the message last ended ERROR. */
    private final Map<String, Integer> attemptsAtError = new ConcurrentHashMap<>();

    @Override
    public void create(Message message) {
        failIf(failCreate, "PutItem");
        if (messages.putIfAbsent(message.id(), message) != null) {
            throw new IllegalStateException("message " + message.id() + " already exists");
        }
    }

    @Override
    public boolean markQueued(String id, Instant at) {
        failIf(failMarkQueued, "UpdateItem");
        return update(id, MessageStatus.PENDING, () -> messages.get(id).queued(at));
    }

    @Override
    public boolean deleteUnqueued(String id) {
        failIf(failDelete, "DeleteItem");
        Message current = messages.get(id);
        return current != null && current.status() == MessageStatus.PENDING && messages.remove(id, current);
    }

    @Override
    public Optional<Message> find(String id) {
        failIf(failFind, "GetItem");
        return Optional.ofNullable(messages.get(id));
    }

    /** Same order as the index: newest createdAt first, id breaking ties; the cursor is the last id shown. */
    @Override
    public MessagePage listByStatus(MessageStatus status, int limit, String cursor) {
        return listByStatus(status, MessageSelection.all(), limit, cursor);
    }

    /** As the index with a filter: {@code limit} bounds the messages examined, the page holds those selected. */
    @Override
    public MessagePage listByStatus(MessageStatus status, MessageSelection selection, int limit, String cursor) {
        failIf(failFind, "Query");
        List<Message> matching = messages.values().stream()
                .filter(m -> m.status() == status)
                .filter(m -> (selection.createdFrom() == null || !m.createdAt().isBefore(selection.createdFrom()))
                        && (selection.createdTo() == null || m.createdAt().isBefore(selection.createdTo())))
                .sorted(Comparator.comparing(Message::createdAt).thenComparing(Message::id).reversed())
                .toList();
        int from = 0;
        if (cursor != null) {
            int at = -1;
            for (int i = 0; i < matching.size(); i++) {
                if (matching.get(i).id().equals(cursor)) {
                    at = i;
                }
            }
            if (at < 0) {
                throw new IllegalArgumentException("cursor is not one this listing gave out");
            }
            from = at + 1;
        }
        int to = Math.min(matching.size(), from + limit);
        List<Message> page = matching.subList(from, to);
        return new MessagePage(page.stream().filter(selection::includes).toList(),
                to < matching.size() ? page.get(page.size() - 1).id() : null);
    }

    @Override
    public long countByStatus(MessageStatus status) {
        failIf(failFind, "Query");
        return messages.values().stream().filter(m -> m.status() == status).count();
    }

    @Override
    public boolean requestRetry(String id, Instant at) {
        failIf(failRequestRetry, "UpdateItem");
        synchronized (messages) {
            Message m = messages.get(id);
            Lease held = leases.get(id);
            if (m == null || m.status() != MessageStatus.ERROR || (held != null && held.expiresAt().isAfter(at))) {
                return false;
            }
            messages.put(id, new Message(m.id(), m.topic(), m.channel(), m.description(), MessageStatus.QUEUED, m.attempts(),
                    m.createdAt(), at, at, m.sentAt(), m.lastError(), m.deliveryId(), m.waiting(), m.history(), at));
            return true;
        }
    }

    @Override
    public boolean withdrawRetry(String id, Instant requestedAt) {
        synchronized (messages) {
            Message m = messages.get(id);
            if (m == null || m.status() != MessageStatus.QUEUED || !requestedAt.equals(m.retryRequestedAt())) {
                return false;
            }
            messages.put(id, new Message(m.id(), m.topic(), m.channel(), m.description(), MessageStatus.ERROR, m.attempts(),
                    m.createdAt(), m.updatedAt(), m.queuedAt(), m.sentAt(), m.lastError(), m.deliveryId(), m.waiting(), m.history(),
                    m.retryRequestedAt()));
            return true;
        }
    }

    @Override
    public Claim claim(String id, Instant now, Duration lease, boolean finalAttempt) {
        synchronized (messages) {
            failIf(failClaim, "UpdateItem");
            Message current = messages.get(id);
            if (!mayClaim(id, now)) {
                return current == null ? new Claim.NotFound()
                        : current.status() == MessageStatus.SENT ? new Claim.AlreadySent(current) : new Claim.Busy(current);
            }
            String token = UUID.randomUUID().toString();
            Message claimed = new Message(current.id(), current.topic(), current.channel(), current.description(),
                    finalAttempt ? MessageStatus.ERROR : MessageStatus.SENDING, current.attempts() + 1,
                    current.createdAt(), now, current.queuedAt(), current.sentAt(),
                    finalAttempt ? DynamoDbMessageRepository.FINAL_ATTEMPT_MARKER : current.lastError(), current.deliveryId(),
                    current.waiting(), current.history(), current.retryRequestedAt());
            // As in the table: the slot is used by this claim, the stored message no longer waits for it.
            messages.put(id, withoutWaiting(claimed));
            leases.put(id, new Lease(token, now.plus(lease)));
            int atError = attemptsAtError.getOrDefault(id, 0);
            if (finalAttempt) {
                attemptsAtError.put(id, claimed.attempts());
            }
            return new Claim.Claimed(claimed, token, current.lastError(), claimed.attempts() - atError);
        }
    }

    @Override
    public boolean markSent(Claim.Claimed claim, Instant at, String deliveryId, DeliveryAttempt attempt) {
        failIf(failMarkSent, "UpdateItem");
        return release(claim, m -> new Message(m.id(), m.topic(), claim.message().channel(), m.description(), MessageStatus.SENT,
                m.attempts(), m.createdAt(), at, m.queuedAt(), at, null, deliveryId, m.waiting(),
                DeliveryAttempt.append(claim.message().history(), attempt), m.retryRequestedAt()));
    }

    @Override
    public boolean markRetrying(Claim.Claimed claim, Instant at, String error, DeliveryAttempt attempt) {
        return release(claim, m -> with(m, MessageStatus.QUEUED, at, error, DeliveryAttempt.append(claim.message().history(), attempt)));
    }

    @Override
    public boolean markWaiting(Claim.Claimed claim, Instant at, Message.Waiting waiting, DeliveryAttempt attempt) {
        return release(claim, m -> new Message(m.id(), m.topic(), m.channel(), m.description(), MessageStatus.QUEUED,
                m.attempts() - 1, m.createdAt(), at, m.queuedAt(), m.sentAt(), claim.previousError(), m.deliveryId(), waiting,
                attempt == null ? m.history() : DeliveryAttempt.append(claim.message().history(), attempt), m.retryRequestedAt()));
    }

    @Override
    public boolean markAbandoned(Claim.Claimed claim, Instant at, String error) {
        return release(claim, m -> {
            attemptsAtError.put(m.id(), m.attempts() - 1);
            return new Message(m.id(), m.topic(), m.channel(), m.description(), MessageStatus.ERROR,
                    m.attempts() - 1, m.createdAt(), at, m.queuedAt(), m.sentAt(), error, m.deliveryId(), null,
                    m.history(), m.retryRequestedAt());
        });
    }

    @Override
    public boolean markFailed(Claim.Claimed claim, Instant at, String error, DeliveryAttempt attempt) {
        return release(claim, m -> {
            attemptsAtError.put(m.id(), m.attempts());
            return with(m, MessageStatus.ERROR, at, error,
                    attempt == null ? m.history() : DeliveryAttempt.append(claim.message().history(), attempt));
        });
    }

    @Override
    public boolean markExhausted(String id, Instant at, String error) {
        synchronized (messages) {
            if (!mayClaim(id, at)) {
                return false;
            }
            Message current = messages.get(id);
            messages.put(id, with(current, MessageStatus.ERROR, at, error, current.history()));
            attemptsAtError.put(id, current.attempts());
            return true;
        }
    }

    /** DynamoDbMessageRepository's MAY_CLAIM: it exists, it was not sent, and no unexpired claim holds it. */
    private boolean mayClaim(String id, Instant now) {
        Message current = messages.get(id);
        Lease held = leases.get(id);
        return current != null && current.status() != MessageStatus.SENT && (held == null || held.expiresAt().isBefore(now));
    }

    private boolean release(Claim.Claimed claim, java.util.function.UnaryOperator<Message> next) {
        synchronized (messages) {
            String id = claim.message().id();
            Lease held = leases.get(id);
            if (held == null || !held.token().equals(claim.token())) {
                return false;
            }
            leases.remove(id);
            messages.put(id, next.apply(messages.get(id)));
            return true;
        }
    }

    private static Message withoutWaiting(Message m) {
        return new Message(m.id(), m.topic(), m.channel(), m.description(), m.status(), m.attempts(), m.createdAt(),
                m.updatedAt(), m.queuedAt(), m.sentAt(), m.lastError(), m.deliveryId(), null, m.history(), m.retryRequestedAt());
    }

    private static Message with(Message m, MessageStatus status, Instant at, String error, List<DeliveryAttempt> history) {
        return new Message(m.id(), m.topic(), m.channel(), m.description(), status, m.attempts(), m.createdAt(), at,
                m.queuedAt(), m.sentAt(), error, m.deliveryId(), m.waiting(), history, m.retryRequestedAt());
    }

    private record Lease(String token, Instant expiresAt) {
    }

    public Collection<Message> all() {
        return messages.values();
    }

    public void put(Message message) {
        messages.put(message.id(), message);
    }

    private boolean update(String id, MessageStatus expected, Supplier<Message> next) {
        synchronized (messages) {
            Message current = messages.get(id);
            if (current == null || current.status() != expected) {
                return false;
            }
            messages.put(id, next.get());
            return true;
        }
    }

    static void failIf(boolean fail, String operation) {
        if (fail) {
            throw SdkException.builder().message(operation + " failed: service unavailable (simulated)").build();
        }
    }
}
