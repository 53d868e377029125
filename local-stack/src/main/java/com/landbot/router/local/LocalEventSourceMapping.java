package com.landbot.router.local;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.landbot.router.dispatch.DispatchHandler;
import com.landbot.router.shared.Message;
import com.landbot.router.shared.MessageRepository;
import com.landbot.router.shared.QueuedMessage;
import com.landbot.router.emulators.TemplateDefinitions;
import com.landbot.router.tools.SqsEventSource;
import java.io.PrintStream;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * DispatchFunction's SQS event source mapping: a poller thread that long-polls the queue and hands each batch
 * to the real {@link DispatchHandler} through {@link SqsEventSource} (which deletes what the partial batch
 * response does not list and leaves the rest to the visibility timeout and the DLQ redrive policy). After each
 * batch it reads the messages back from the table and logs where each one stands.
 */
final class LocalEventSourceMapping implements AutoCloseable {

    /**
     * Lambda's pollers wait 20 s; this one waits 2 s because the SDK clients ({@code AwsClients}) give up on an
     * attempt after 3 s. Long polling either way: an empty queue costs one request per wait, not a busy loop.
     */
    static final int WAIT_SECONDS = 2;

    private final SqsEventSource source;
    private final DispatchHandler handler;
    private final MessageRepository repository;
    private final Journey journey;
    private final Runnable afterBatch;
    private final PrintStream out;
    private final int maxReceiveCount;
    private final Thread poller;
    private volatile boolean running = true;

    LocalEventSourceMapping(SqsEventSource source, DispatchHandler handler, MessageRepository repository,
                            Journey journey, Runnable afterBatch, PrintStream out) {
        this.source = source;
        this.handler = handler;
        this.repository = repository;
        this.journey = journey;
        this.afterBatch = afterBatch;
        this.out = out;
        this.maxReceiveCount = TemplateDefinitions.maxReceiveCount();
        this.poller = LocalThreads.named("dispatch-poller").newThread(this::poll);
    }

    void start() {
        poller.start();
    }

    private void poll() {
        while (running) {
            try {
                SqsEventSource.Poll poll = source.pollOnce(this::invoke, WAIT_SECONDS);
                if (poll.received() > 0) {
                    afterBatch.run();
                }
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                // ElasticMQ is in this JVM, so this is rare; keep polling, as Lambda's mapping does.
                out.println(Console.line("[dispatch] polling the queue failed, retrying in 1 s: " + e));
                sleep(1000);
            }
        }
    }

    private SQSBatchResponse invoke(SQSEvent event) {
        SQSBatchResponse response;
        try {
            response = handler.handle(event, null);
        } catch (RuntimeException | Error e) {
            out.println(Console.line("[dispatch] DispatchFunction failed, the whole batch of " + event.getRecords().size()
                    + " returns after the visibility timeout: " + e));
            throw e;
        }
        Set<String> failed = response.getBatchItemFailures() == null ? Set.of() : response.getBatchItemFailures().stream()
                .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .collect(Collectors.toSet());
        for (SQSEvent.SQSMessage record : event.getRecords()) {
            report(record, failed.contains(record.getMessageId()));
        }
        return response;
    }

    private void report(SQSEvent.SQSMessage record, boolean returnedToQueue) {
        String receive = record.getAttributes() == null ? "?" : record.getAttributes().getOrDefault("ApproximateReceiveCount", "?");
        String id;
        try {
            id = QueuedMessage.fromJson(record.getBody()).id();
        } catch (IllegalArgumentException e) {
            journey.step("sqs:" + record.getMessageId(), "unreadable SQS body, " + (returnedToQueue ? "left on the queue" : "dropped"));
            return;
        }
        Optional<Message> stored = repository.find(id);
        if (stored.isEmpty()) {
            journey.step(id, "not in the table (receive " + receive + ")");
            return;
        }
        Message message = stored.get();
        String attempt = "(attempt " + message.attempts() + ", receive " + receive + " of " + maxReceiveCount + ")";
        journey.step(id, switch (message.status()) {
            case SENT -> "sent via " + message.channel() + " " + attempt
                    + (message.deliveryId() == null ? "" : " deliveryId=" + message.deliveryId());
            case ERROR -> "error: " + message.lastError() + " " + attempt
                    + " - in the DLQ or on its way there; scripts/redrive brings it back";
            default -> message.waiting() != null
                    ? "waiting for " + message.waiting().destination() + " until " + message.waiting().nextAttemptAt()
                            + " (rate limit, not an attempt) " + attempt
                    : (returnedToQueue ? "retrying after the visibility timeout: " : message.status() + ": ")
                            + message.lastError() + " " + attempt;
        });
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            // A batch in flight finishes its sends and records, as a Lambda invocation would.
            poller.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
