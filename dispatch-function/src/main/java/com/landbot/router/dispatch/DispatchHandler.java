package com.landbot.router.dispatch;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.landbot.router.shared.Json;
import com.landbot.router.shared.Priming;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * SQS event source adapter: records in, partial batch response out (the event source mapping has
 * {@code ReportBatchItemFailures}, so only the records listed come back; the rest are deleted).
 *
 * <p>Lambda calls it as a stream handler: the batch is read and the answer written by the project's one Jackson
 * ({@link Json#readEvent}), not by the runtime interface client's serialiser (a second Jackson to start).
 */
public final class DispatchHandler implements RequestStreamHandler {

    /** Time kept back from the function's timeout: no new send starts in it, so none is cut off mid-way. */
    static final Duration SAFETY_MARGIN = Duration.ofSeconds(10);

    private final DispatchService service;
    private final Clock clock;
    /** Held for the container's life: SnapStart runs it before the snapshot. */
    private Priming priming;

    /** Lambda's entry: one service, with its clients and channels, per container. */
    public DispatchHandler() {
        this(DispatchWiring.fromEnvironment(System.getenv()), Clock.systemUTC());
        this.priming = Priming.register("dispatch", service::prime);
    }

    public DispatchHandler(DispatchService service, Clock clock) {
        this.service = service;
        this.clock = clock;
    }

    @Override
    public void handleRequest(InputStream event, OutputStream answer, Context context) throws IOException {
        Json.writeAnswer(answer, handle(Json.readEvent(event, SQSEvent.class), context));
    }

    /** One batch: what the stream handler, the local event source mapping and the tests call. */
    public SQSBatchResponse handle(SQSEvent event, Context context) {
        List<Delivery> batch = event == null || event.getRecords() == null ? List.of() : event.getRecords().stream()
                .map(DispatchHandler::delivery)
                .toList();
        long remainingMillis = context == null ? 60_000 : context.getRemainingTimeInMillis();
        Instant deadline = clock.instant().plusMillis(remainingMillis).minus(SAFETY_MARGIN);
        List<SQSBatchResponse.BatchItemFailure> failures = service.dispatch(batch, deadline).stream()
                .map(SQSBatchResponse.BatchItemFailure::new)
                .toList();
        return new SQSBatchResponse(failures);
    }

    static Delivery delivery(SQSEvent.SQSMessage record) {
        String count = record.getAttributes() == null ? null : record.getAttributes().get("ApproximateReceiveCount");
        int receiveCount;
        try {
            receiveCount = count == null ? 1 : Integer.parseInt(count);
        } catch (NumberFormatException e) {
            receiveCount = 1;
        }
        return new Delivery(record.getMessageId(), record.getReceiptHandle(), record.getBody(), receiveCount);
    }
}
