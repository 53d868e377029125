package com.landbot.router.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.landbot.router.dispatch.DispatchHandler;
import com.landbot.router.ingest.IngestHandler;

/**
 * The functions as they were before they became stream handlers: the same handlers behind a {@link RequestHandler},
 * so that the runtime interface client reads the event and writes the answer with its own serialiser. bench/run
 * ships them (with Joda, which that serialiser loads) in a variant of each artifact to measure what the change bought.
 */
public final class PojoAdapters {

    private PojoAdapters() {
    }

    public static final class Ingest implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
        private final IngestHandler handler = new IngestHandler();

        @Override
        public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
            return handler.handle(event);
        }
    }

    public static final class Dispatch implements RequestHandler<SQSEvent, SQSBatchResponse> {
        private final DispatchHandler handler = new DispatchHandler();

        @Override
        public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
            return handler.handle(event, context);
        }
    }
}
