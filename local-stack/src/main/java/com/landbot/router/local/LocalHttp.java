package com.landbot.router.local;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;

/** Writing an answer on the JDK's HTTP server, for the local stack's endpoints. */
final class LocalHttp {

    private LocalHttp() {
    }

    /** A null content type leaves the headers the caller set. An empty body is sent as no body (length -1). */
    static void respond(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
