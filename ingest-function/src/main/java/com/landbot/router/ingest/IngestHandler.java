package com.landbot.router.ingest;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.landbot.router.ingest.IngestResult.Accepted;
import com.landbot.router.ingest.IngestResult.Rejected;
import com.landbot.router.ingest.IngestResult.Replayed;
import com.landbot.router.ingest.IngestResult.Unavailable;
import com.landbot.router.ingest.auth.AccessPolicy;
import com.landbot.router.ingest.auth.AccessPolicy.Caller;
import com.landbot.router.ingest.auth.AccessPolicy.Decision;
import com.landbot.router.ingest.auth.AuthRequest;
import com.landbot.router.ingest.auth.Authenticator;
import com.landbot.router.ingest.auth.CredentialsSource.CredentialsUnavailableException;
import com.landbot.router.ingest.idempotency.IdempotencyStore.StoredResponse;
import com.landbot.router.shared.AwsClients;
import com.landbot.router.shared.Json;
import com.landbot.router.shared.Log;
import com.landbot.router.shared.MessagePage;
import com.landbot.router.shared.MessageStatus;
import com.landbot.router.shared.Priming;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * API Gateway HTTP API (payload 2.0) adapter for every {@link Endpoint}: it finds the endpoint by the route key
 * API Gateway matched, asks the {@link AccessPolicy} whether the caller may use it, turns the event into one
 * {@link IngestService}, {@link TopicService} or {@link RetryService} call (or a {@link ConsoleAssets} file) and the
 * result into the HTTP answer. Failures of our
 * dependencies become a 503 and bugs a 500, neither with internals.
 *
 * <p>Lambda calls it as a stream handler: the event is read and the answer written by the project's one Jackson
 * ({@link Json#readEvent}), not by the runtime interface client's serialiser (a second Jackson to start).
 */
public final class IngestHandler implements RequestStreamHandler {

    /** Every route this handler serves; template.yaml declares exactly these (TemplateContractTest). */
    static final List<String> ROUTES = Endpoint.ROUTE_KEYS;

    private final IngestService service;
    private final TopicService topics;
    private final RetryService retries;
    private final ConsoleAssets console;
    private final AccessPolicy access;
    /** Held for the container's life: SnapStart runs it before the snapshot. */
    private Priming priming;

    /** Lambda's entry: services and access policy, with their SDK clients, once per container. */
    public IngestHandler() {
        this(System.getenv(), new AwsClients(System.getenv()));
        this.priming = Priming.register("ingest", service::prime);
    }

    /** Wired from a function environment (see template.yaml) with the given clients: what tests and tools use. */
    public IngestHandler(Map<String, String> env, AwsClients clients) {
        this(IngestWiring.wire(env, clients));
    }

    private IngestHandler(IngestWiring.Wired wired) {
        this(wired.service(), wired.topics(), wired.retries(), wired.access());
    }

    /** Without the retry routes: tests of the bot's and the topics' routes. */
    public IngestHandler(IngestService service, TopicService topics, AccessPolicy access) {
        this(service, topics, null, access);
    }

    public IngestHandler(IngestService service, TopicService topics, RetryService retries, AccessPolicy access) {
        this.service = service;
        this.topics = topics;
        this.retries = retries;
        this.console = ConsoleAssets.load();
        this.access = access;
    }

    @Override
    public void handleRequest(InputStream event, OutputStream answer, Context context) throws IOException {
        Json.writeAnswer(answer, handle(Json.readEvent(event, APIGatewayV2HTTPEvent.class)));
    }

    /** One request: what the stream handler, the local API Gateway and the tests call. */
    public APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event) {
        if (event == null) {
            return respond(400, new ErrorBody("Empty event", List.of("expected an API Gateway HTTP API request")), Map.of());
        }
        // API Gateway sends the key of the route it matched; it answers 404 itself to a request no route matches,
        // and the template declares no $default route, so any other key is a misconfigured caller.
        Endpoint endpoint = Endpoint.of(event.getRouteKey()).orElse(null);
        if (endpoint == null) {
            return respond(404, new ErrorBody("Not found", List.of("routes: " + String.join(", ", ROUTES))), Map.of());
        }
        return failSafe(endpoint, () -> {
            byte[] body = body(event);
            // An undecodable body is authenticated as the text it arrived as; it is rejected with a 400 after.
            AuthRequest request = new AuthRequest(endpoint.method(), event.getRawPath(), event.getRawQueryString(),
                    Authenticator.Headers.of(event.getHeaders()), body != null ? body : textBytes(event.getBody()));
            return switch (access.decide(endpoint.access(), request)) {
                case Decision.Unauthenticated denied -> {
                    // The reason class only: header values may be secrets, or near-misses of them.
                    Log.info("request.unauthenticated", "route", endpoint.routeKey(), "reason", denied.reason().code());
                    yield respond(401, new ErrorBody("Unauthorized", List.of(denied.detail())), Map.of("WWW-Authenticate", "Bearer"));
                }
                case Decision.Forbidden forbidden -> {
                    Log.info("request.forbidden", "route", endpoint.routeKey(), "why", "bot credentials on an admin route");
                    yield respond(403, new ErrorBody("Forbidden", List.of(forbidden.detail())), Map.of());
                }
                case Decision.Allowed allowed -> {
                    APIGatewayV2HTTPResponse response = body == null
                            ? respond(400, new ErrorBody("Request body is not valid base64", List.of("API Gateway marked the body base64 but it is not")), Map.of())
                            : failSafe(endpoint, () -> serve(endpoint, event, body, allowed.caller()));
                    // These answers ask for the same request again, and changed nothing: its signature may be reused.
                    if (response.getStatusCode() >= 500 || response.getStatusCode() == 409) {
                        access.giveBack(allowed);
                    }
                    yield response;
                }
            };
        });
    }

    private APIGatewayV2HTTPResponse serve(Endpoint endpoint, APIGatewayV2HTTPEvent event, byte[] body, Caller caller) {
        return switch (endpoint) {
            case POST_MESSAGES -> post(event, body);
            case GET_MESSAGE -> get(event, caller);
            case LIST_MESSAGES -> list(event);
            case LIST_TOPICS -> respond(200, new TopicList(topics.list().stream().map(TopicView::of).toList()), Map.of());
            case PUT_TOPIC -> putTopic(event, body);
            case RETRY_MESSAGE -> retry(event);
            case RETRY_MESSAGES -> retryAll(event, body);
            case COUNT_MESSAGES -> respond(200, new Counts(service.countByStatus()), Map.of());
            case CONSOLE -> consoleFile(ConsoleAssets.PAGE);
            case CONSOLE_FILE -> consoleFile(pathParameter(event, "file"));
        };
    }

    /** Our failures as the caller sees them: a 503 to retry when a dependency failed, a 500 for a bug. */
    private static APIGatewayV2HTTPResponse failSafe(Endpoint endpoint, Supplier<APIGatewayV2HTTPResponse> call) {
        try {
            return call.get();
        } catch (CredentialsUnavailableException e) {
            Log.error("request.credentials_unavailable", "route", endpoint.routeKey(), "cause", e.getClass().getSimpleName());
            return unavailable("Credentials cannot be checked right now. Retry later.");
        } catch (SdkException e) {
            Log.error("request.dependency_failed", "route", endpoint.routeKey(), "cause", e);
            return unavailable("A storage service is unavailable. Retry later.");
        } catch (RuntimeException e) {
            // A bug of ours. The caller gets a 500 without internals; the log gets the class and message.
            Log.error("request.failed", "route", endpoint.routeKey(), "cause", e);
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
            case Accepted accepted -> answer(accepted.response(), Map.of());
            case Replayed replayed -> answer(replayed.response(), Map.of("Idempotent-Replayed", "true"));
            case Rejected rejected -> respond(status(rejected.reason()), new ErrorBody(rejected.error(), rejected.details()),
                    rejected.reason() == IngestResult.Reason.IDEMPOTENCY_KEY_IN_FLIGHT ? Map.of("Retry-After", "1") : Map.of());
            case Unavailable unavailable -> unavailable(unavailable.error());
        };
    }

    private APIGatewayV2HTTPResponse get(APIGatewayV2HTTPEvent event, Caller caller) {
        String id = pathParameter(event, "id");
        if (id == null || !isUuid(id)) {
            return notFound(id);
        }
        // Ids are UUIDs, given out lower-case; a UUID is the same in either case.
        return service.find(id.toLowerCase(Locale.ROOT))
                .map(message -> respond(200, caller == Caller.ADMIN ? MessageView.forOperator(message) : MessageView.of(message), Map.of()))
                .orElseGet(() -> notFound(id));
    }

    /** {@code POST /messages/{id}/retry}: 202 queued (or already queued by an earlier retry), 409 not in ERROR. */
    private APIGatewayV2HTTPResponse retry(APIGatewayV2HTTPEvent event) {
        String id = pathParameter(event, "id");
        if (id == null || !isUuid(id)) {
            return notFound(id);
        }
        String lowerCase = id.toLowerCase(Locale.ROOT);
        return switch (retries.retry(lowerCase)) {
            case RetryService.Outcome.Queued queued -> respond(202, MessageView.forOperator(queued.message()),
                    Map.of("Location", "/messages/" + lowerCase));
            case RetryService.Outcome.AlreadyRetrying already -> respond(202, MessageView.forOperator(already.message()),
                    Map.of("Location", "/messages/" + lowerCase));
            case RetryService.Outcome.NotRetryable refused -> respond(409, new ErrorBody("Message is not in ERROR",
                    List.of(refused.why())), Map.of());
            case RetryService.Outcome.NotFound notFound -> notFound(id);
        };
    }

    /** {@code POST /messages/retry}: one bounded page of a topic's or a time range's ERROR messages. */
    private APIGatewayV2HTTPResponse retryAll(APIGatewayV2HTTPEvent event, byte[] body) {
        BulkRetryRequest.Parsed parsed = BulkRetryRequest.parse(new RawRequest(header(event, "content-type"), body));
        if (parsed.rejection() != null) {
            return respond(status(parsed.rejection().reason()), new ErrorBody(parsed.rejection().error(), parsed.rejection().details()), Map.of());
        }
        BulkRetryRequest request = parsed.request();
        RetryService.BulkOutcome outcome;
        try {
            outcome = retries.retryAll(request.selection(), request.limit(), request.cursor());
        } catch (IllegalArgumentException e) {
            return respond(400, new ErrorBody("Request body is invalid", List.of("cursor: " + e.getMessage())), Map.of());
        }
        return respond(202, new BulkRetryView(outcome.queued().size(), outcome.queued(), outcome.skipped(),
                outcome.examined(), outcome.nextCursor()), Map.of());
    }

    /** The body of {@code POST /messages/retry}'s answer; {@code nextCursor} is left out on the last page. */
    record BulkRetryView(int queued, List<String> messageIds, int skipped, int examined, String nextCursor) {
    }

    /** The body of {@code GET /counts}: every status, zeros included. */
    record Counts(Map<MessageStatus, Long> counts) {
    }

    /** A console file with the console's security headers, or 404 for any other name. */
    private APIGatewayV2HTTPResponse consoleFile(String name) {
        return console.find(name)
                .map(asset -> {
                    Map<String, String> headers = new HashMap<>(ConsoleAssets.SECURITY_HEADERS);
                    headers.put("Content-Type", asset.contentType());
                    return APIGatewayV2HTTPResponse.builder().withStatusCode(200).withHeaders(headers)
                            .withBody(asset.body()).withIsBase64Encoded(false).build();
                })
                .orElseGet(() -> respond(404, new ErrorBody("Not found", List.of("the console is at /console")), Map.of()));
    }

    /** {@code GET /messages?status=ERROR&limit=25&cursor=...}: one page, newest first. */
    private APIGatewayV2HTTPResponse list(APIGatewayV2HTTPEvent event) {
        return switch (ListQuery.parse(event.getQueryStringParameters())) {
            case ListQuery.Parsed.Invalid invalid -> respond(400, new ErrorBody("Query is invalid", invalid.problems()), Map.of());
            case ListQuery.Parsed.Valid valid -> {
                MessagePage page;
                try {
                    page = service.list(valid.query());
                } catch (IllegalArgumentException e) {
                    yield respond(400, new ErrorBody("Query is invalid", List.of("cursor: " + e.getMessage())), Map.of());
                }
                yield respond(200, new MessageList(page.messages().stream().map(MessageView::of).toList(), page.nextCursor()), Map.of());
            }
        };
    }

    /** The body of {@code GET /messages}; {@code nextCursor} is left out on the last page. */
    record MessageList(List<MessageView> messages, String nextCursor) {
    }

    record TopicList(List<TopicView> topics) {
    }

    private APIGatewayV2HTTPResponse putTopic(APIGatewayV2HTTPEvent event, byte[] body) {
        return switch (topics.put(pathParameter(event, "name"), new RawRequest(header(event, "content-type"), body))) {
            case TopicService.Outcome.Saved saved -> respond(saved.created() ? 201 : 200, TopicView.of(saved.route()),
                    saved.created() ? Map.of("Location", "/topics/" + saved.route().topic()) : Map.of());
            case TopicService.Outcome.Refused refused -> respond(status(refused.rejection().reason()),
                    new ErrorBody(refused.rejection().error(), refused.rejection().details()), Map.of());
        };
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

    private static String pathParameter(APIGatewayV2HTTPEvent event, String name) {
        return event.getPathParameters() == null ? null : event.getPathParameters().get(name);
    }

    private static String header(APIGatewayV2HTTPEvent event, String name) {
        return Authenticator.Headers.of(event.getHeaders()).get(name);
    }

    private static final int UUID_LENGTH = 36;

    private static boolean isUuid(String id) {
        try {
            return UUID.fromString(id).toString().equalsIgnoreCase(id);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Repeats at most a UUID's length of the id, in characters that cannot mislead a reader of the body. */
    private static APIGatewayV2HTTPResponse notFound(String id) {
        String shown = id == null ? "(none)" : "'" + (id.length() > UUID_LENGTH ? id.substring(0, UUID_LENGTH) + "...' (" + id.length()
                + " characters; ids are UUIDs)" : id + "'").replaceAll("[^0-9A-Za-z-' ;().]", "?");
        return respond(404, new ErrorBody("Message not found", List.of("no message with id " + shown)), Map.of());
    }

    private static APIGatewayV2HTTPResponse unavailable(String error) {
        return respond(503, new ErrorBody(error, List.of()), Map.of("Retry-After", "1"));
    }

    /** A 202 given now or replayed: the same status, body and Location either way. */
    private static APIGatewayV2HTTPResponse answer(StoredResponse response, Map<String, String> extraHeaders) {
        Map<String, String> headers = new HashMap<>(extraHeaders);
        if (response.messageId() != null) {
            headers.put("Location", "/messages/" + response.messageId());
        }
        return respondRaw(response.status(), response.body(), headers);
    }

    private static APIGatewayV2HTTPResponse respond(int status, Object body, Map<String, String> extraHeaders) {
        return respondRaw(status, Json.write(body), extraHeaders);
    }

    private static APIGatewayV2HTTPResponse respondRaw(int status, String json, Map<String, String> extraHeaders) {
        Map<String, String> headers = new HashMap<>(extraHeaders);
        headers.put("Content-Type", "application/json");
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(headers)
                .withBody(json)
                .withIsBase64Encoded(false)
                .build();
    }
}
