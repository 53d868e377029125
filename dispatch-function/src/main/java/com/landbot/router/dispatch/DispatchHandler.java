package com.landbot.router.dispatch;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.landbot.router.shared.Priming;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * SQS event source adapter: records in, partial batch response out (the event source mapping has
 * {@code ReportBatchItemFailures}, so only the records listed come back; the rest are deleted).
 */
public final class DispatchHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

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
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<Delivery> batch = event.getRecords() == null ? List.of() : event.getRecords().stream()
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
