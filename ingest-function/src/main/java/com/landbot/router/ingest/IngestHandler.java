package com.landbot.router.ingest;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.landbot.router.ingest.IngestResult.Accepted;
import com.landbot.router.ingest.IngestResult.Rejected;
import com.landbot.router.ingest.IngestResult.Replayed;
import com.landbot.router.ingest.IngestResult.Unavailable;
import com.landbot.router.ingest.auth.AuthResult;
import com.landbot.router.ingest.auth.Authenticator;
import com.landbot.router.ingest.auth.CredentialsSource.CredentialsUnavailableException;
import com.landbot.router.shared.AwsClients;
import com.landbot.router.shared.Json;
import com.landbot.router.shared.Log;
import com.landbot.router.shared.Priming;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * API Gateway HTTP API (payload 2.0) adapter: {@code POST /messages} and {@code GET /messages/{id}}.
 * It checks the caller's credentials ({@link Authenticator}) before anything else on both routes, then turns
 * events into {@link IngestService} calls and results into HTTP answers, nothing more.
 */
public final class IngestHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    static final String POST_MESSAGES = "POST /messages";
    static final String GET_MESSAGE = "GET /messages/{id}";

    private final IngestService service;
    private final Authenticator authenticator;
    /** Held for the container's life: SnapStart runs it before the snapshot. */
    private Priming priming;

    /** Lambda's entry: one service and one authenticator, with their SDK clients, per container. */
    public IngestHandler() {
        this(System.getenv(), new AwsClients(System.getenv()));
        this.priming = Priming.register("ingest", service::prime);
    }

    /** Wired from a function environment (see template.yaml) with the given clients: what tests and tools use. */
    public IngestHandler(Map<String, String> env, AwsClients clients) {
        this(IngestWiring.fromEnvironment(env, clients), IngestWiring.authenticator(env, clients));
    }

    public IngestHandler(IngestService service, Authenticator authenticator) {
        this.service = service;
        this.authenticator = authenticator;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        if (event == null) {
            return respond(400, new ErrorBody("Empty event", List.of("expected an API Gateway HTTP API request")), Map.of());
        }
        try {
            String route = route(event);
            if (!route.equals(POST_MESSAGES) && !route.equals(GET_MESSAGE)) {
                return respond(404, new ErrorBody("Not found", List.of("routes: " + POST_MESSAGES + ", " + GET_MESSAGE)), Map.of());
            }
            byte[] body = body(event);
            // An undecodable body is authenticated as the text it arrived as; it is rejected with a 400 after.
            AuthResult auth = authenticator.authenticate(Authenticator.Headers.of(event.getHeaders()),
                    body != null ? body : textBytes(event.getBody()));
            if (auth instanceof AuthResult.Denied denied) {
                // The reason class only: header values may be secrets, or near-misses of them.
                Log.info("request.unauthenticated", "route", route, "reason", denied.reason().code());
                return respond(401, new ErrorBody("Unauthorized", List.of(denied.reason().detail())),
                        Map.of("WWW-Authenticate", "Bearer"));
            }
            if (route.equals(GET_MESSAGE)) {
                return get(event);
            }
            if (body == null) {
                return respond(400, new ErrorBody("Request body is not valid base64", List.of("API Gateway marked the body base64 but it is not")), Map.of());
            }
            return post(event, body);
        } catch (CredentialsUnavailableException e) {
            Log.error("request.credentials_unavailable", "route", event.getRouteKey(), "cause", e.getClass().getSimpleName());
            return unavailable("Credentials cannot be checked right now. Retry later.");
        } catch (SdkException e) {
            Log.error("request.dependency_failed", "route", event.getRouteKey(), "cause", e);
            return unavailable("A storage service is unavailable. Retry later.");
        } catch (RuntimeException e) {
            // A bug of ours. The caller gets a 500 without internals; the log gets the class and message.
            Log.error("request.failed", "route", event.getRouteKey(), "cause", e);
            return respond(500, new ErrorBody("Internal error", List.of("the failure was logged; retrying may help")), Map.of());
        }
    }

    /** The body's bytes as the caller sent them (API Gateway base64-encodes some), or null if undecodable. */
    private static byte[] body(APIGatewayV2HTTPEvent event) {
        if (event.getBody() == null) {
            return new byte[0];
        }
        if (!event.getIsBase64Encoded()) {
            return textBytes(event.getBody());
        }
        try {
            return Base64.getDecoder().decode(event.getBody());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] textBytes(String body) {
        return body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    }

    private APIGatewayV2HTTPResponse post(APIGatewayV2HTTPEvent event, byte[] body) {
        IngestResult result = service.accept(new RawRequest(header(event, "content-type"), body, header(event, "idempotency-key")));
        return switch (result) {
            case Accepted accepted -> respond(202, MessageView.Receipt.of(accepted.message()),
                    Map.of("Location", "/messages/" + accepted.message().id()));
            case Replayed replayed -> respondRaw(replayed.status(), replayed.body(), replayed.messageId() == null
                    ? Map.of("Idempotent-Replayed", "true")
                    : Map.of("Location", "/messages/" + replayed.messageId(), "Idempotent-Replayed", "true"));
            case Rejected rejected -> respond(status(rejected.reason()), new ErrorBody(rejected.error(), rejected.details()),
                    rejected.reason() == IngestResult.Reason.IDEMPOTENCY_KEY_IN_FLIGHT ? Map.of("Retry-After", "1") : Map.of());
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
            case IDEMPOTENCY_KEY_IN_FLIGHT -> 409;
            case IDEMPOTENCY_KEY_REUSED -> 422;
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
        return respondRaw(status, Json.write(body), extraHeaders);
    }

    private static APIGatewayV2HTTPResponse respondRaw(int status, String json, Map<String, String> extraHeaders) {
        Map<String, String> headers = new java.util.HashMap<>(extraHeaders);
        headers.put("Content-Type", "application/json");
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(headers)
                .withBody(json)
                .withIsBase64Encoded(false)
                .build();
    }
}
