package com.landbot.router.ingest;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.landbot.router.ingest.IngestResult.Accepted;
import com.landbot.router.ingest.IngestResult.Rejected;
import com.landbot.router.ingest.IngestResult.Unavailable;
import com.landbot.router.shared.Json;
import com.landbot.router.shared.Log;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * API Gateway HTTP API (payload 2.0) adapter: {@code POST /messages} and {@code GET /messages/{id}}.
 * It turns events into {@link IngestService} calls and results into HTTP answers, nothing more.
 */
public final class IngestHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    static final String POST_MESSAGES = "POST /messages";
    static final String GET_MESSAGE = "GET /messages/{id}";

    private final IngestService service;

    /** Lambda's entry: one service, with its SDK clients, per container. */
    public IngestHandler() {
        this(IngestWiring.fromEnvironment(System.getenv()));
    }

    public IngestHandler(IngestService service) {
        this.service = service;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        try {
            return switch (route(event)) {
                case POST_MESSAGES -> post(event);
                case GET_MESSAGE -> get(event);
                default -> respond(404, new ErrorBody("Not found", List.of("routes: " + POST_MESSAGES + ", " + GET_MESSAGE)), Map.of());
            };
        } catch (SdkException e) {
            Log.error("request.dependency_failed", "route", event.getRouteKey(), "cause", e);
            return unavailable("A storage service is unavailable. Retry later.");
        } catch (RuntimeException e) {
            // A bug of ours. The caller gets a 500 without internals; the log gets the class and message.
            Log.error("request.failed", "route", event.getRouteKey(), "cause", e);
            return respond(500, new ErrorBody("Internal error", List.of("the failure was logged; retrying may help")), Map.of());
        }
    }

    private APIGatewayV2HTTPResponse post(APIGatewayV2HTTPEvent event) {
        byte[] body;
        try {
            body = event.getBody() == null ? new byte[0]
                    : event.getIsBase64Encoded() ? Base64.getDecoder().decode(event.getBody())
                    : event.getBody().getBytes(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return respond(400, new ErrorBody("Request body is not valid base64", List.of()), Map.of());
        }
        IngestResult result = service.accept(new RawRequest(header(event, "content-type"), body));
        return switch (result) {
            case Accepted accepted -> respond(202, MessageView.Receipt.of(accepted.message()),
                    Map.of("Location", "/messages/" + accepted.message().id()));
            case Rejected rejected -> respond(status(rejected.reason()), new ErrorBody(rejected.error(), rejected.details()), Map.of());
            case Unavailable unavailable -> unavailable(unavailable.error());
        };
    }

    private APIGatewayV2HTTPResponse get(APIGatewayV2HTTPEvent event) {
        String id = event.getPathParameters() == null ? null : event.getPathParameters().get("id");
        if (id == null || !isUuid(id)) {
            return notFound(id);
        }
        return service.find(id)
                .map(message -> respond(200, MessageView.of(message), Map.of()))
                .orElseGet(() -> notFound(id));
    }

    private static int status(IngestResult.Reason reason) {
        return switch (reason) {
            case UNSUPPORTED_MEDIA_TYPE -> 415;
            case PAYLOAD_TOO_LARGE -> 413;
            case INVALID_REQUEST -> 400;
        };
    }

    /** The route key API Gateway matched; derived from method and path where a tool sends {@code $default}. */
    static String route(APIGatewayV2HTTPEvent event) {
        String key = event.getRouteKey();
        if (POST_MESSAGES.equals(key) || GET_MESSAGE.equals(key)) {
            return key;
        }
        var http = event.getRequestContext() == null ? null : event.getRequestContext().getHttp();
        String method = http == null ? "" : http.getMethod();
        String path = event.getRawPath() == null ? "" : event.getRawPath();
        if ("POST".equalsIgnoreCase(method) && path.equals("/messages")) {
            return POST_MESSAGES;
        }
        if ("GET".equalsIgnoreCase(method) && path.startsWith("/messages/") && path.indexOf('/', "/messages/".length()) < 0) {
            if (event.getPathParameters() == null || !event.getPathParameters().containsKey("id")) {
                event.setPathParameters(Map.of("id", path.substring("/messages/".length())));
            }
            return GET_MESSAGE;
        }
        return method + " " + path;
    }

    private static String header(APIGatewayV2HTTPEvent event, String name) {
        if (event.getHeaders() == null) {
            return null;
        }
        // HTTP APIs lower-case header names; other callers may not.
        for (Map.Entry<String, String> header : event.getHeaders().entrySet()) {
            if (header.getKey() != null && header.getKey().equalsIgnoreCase(name)) {
                return header.getValue();
            }
        }
        return null;
    }

    private static boolean isUuid(String id) {
        try {
            return UUID.fromString(id).toString().equalsIgnoreCase(id);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static APIGatewayV2HTTPResponse notFound(String id) {
        return respond(404, new ErrorBody("Message not found", List.of("no message with id " + (id == null ? "(none)" : "'" + id.replaceAll("[^0-9A-Za-z-]", "?") + "'"))), Map.of());
    }

    private static APIGatewayV2HTTPResponse unavailable(String error) {
        return respond(503, new ErrorBody(error, List.of()), Map.of("Retry-After", "1"));
    }

    private static APIGatewayV2HTTPResponse respond(int status, Object body, Map<String, String> extraHeaders) {
        Map<String, String> headers = new java.util.HashMap<>(extraHeaders);
        headers.put("Content-Type", "application/json");
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(headers)
                .withBody(Json.write(body))
                .withIsBase64Encoded(false)
                .build();
    }
}
