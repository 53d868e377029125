package com.landbot.router.bench.probes;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The second handler baseline: a stream handler, as both functions are. Against {@link HelloHandler} it shows what
 * the runtime interface client's event serialiser (its own Jackson, started for a RequestHandler) costs.
 */
public final class HelloStreamHandler implements RequestStreamHandler {

    @Override
    public void handleRequest(InputStream event, OutputStream answer, Context context) throws IOException {
        event.readAllBytes();
        answer.write("\"hello\"".getBytes(StandardCharsets.UTF_8));
    }
}
