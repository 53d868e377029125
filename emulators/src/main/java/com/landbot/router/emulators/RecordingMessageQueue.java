package com.landbot.router.emulators;

import com.landbot.router.shared.MessageQueue;
import com.landbot.router.shared.QueuedMessage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link MessageQueue} that keeps what was sent, and can fail like an unavailable SQS. */
public final class RecordingMessageQueue implements MessageQueue {

    private final List<QueuedMessage> sent = new CopyOnWriteArrayList<>();
    public volatile boolean fail;

    @Override
    public String enqueue(QueuedMessage message) {
        InMemoryMessageRepository.failIf(fail, "SendMessage");
        sent.add(message);
        return "sqs-" + sent.size();
    }

    public List<QueuedMessage> sent() {
        return List.copyOf(sent);
    }
}
