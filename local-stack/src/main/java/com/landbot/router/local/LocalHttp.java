package com.landbot.router.local;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;

/** Writing an answer on the JDK's HTTP server, for the local stack's endpoints. */
final class LocalHttp {

    /** How long a client may take to send a whole request (line, headers, body), and to take the answer. */
    static final int MAX_REQUEST_SECONDS = 10;
    static final int MAX_RESPONSE_SECONDS = 30;

    private LocalHttp() {
    }

    /**
     * Read and write time limits for the JDK's HTTP server, which has none by default: a client that sends half a
     * request and stalls would hold its thread for ever. The server reads them once, when the first server of the
     * JVM starts, so this runs first in {@code LocalStack.main} and again before each of our servers starts
     * (a value set on the command line wins).
     */
    static void limitSlowClients() {
        setIfAbsent("sun.net.httpserver.maxReqTime", Integer.toString(MAX_REQUEST_SECONDS));
        setIfAbsent("sun.net.httpserver.maxRspTime", Integer.toString(MAX_RESPONSE_SECONDS));
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
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
