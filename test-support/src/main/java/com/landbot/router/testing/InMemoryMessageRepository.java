package com.landbot.router.testing;

import com.landbot.router.shared.Message;
import com.landbot.router.shared.MessageRepository;
import com.landbot.router.shared.MessageStatus;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * A {@link MessageRepository} in a map, with the same conditions as the DynamoDB one, and a switch to make
 * each operation fail like an unavailable table.
 */
public final class InMemoryMessageRepository implements MessageRepository {

    private final Map<String, Message> messages = new ConcurrentHashMap<>();
    public volatile boolean failCreate;
    public volatile boolean failMarkQueued;
    public volatile boolean failDelete;
    public volatile boolean failFind;

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
