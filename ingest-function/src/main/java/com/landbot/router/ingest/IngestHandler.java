package com.landbot.router.ingest;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.landbot.router.ingest.IngestResult.Accepted;
import com.landbot.router.ingest.IngestResult.Rejected;
import com.landbot.router.ingest.IngestResult.Replayed;
import com.landbot.router.ingest.IngestResult.Unavailable;
import com.landbot.router.ingest.auth.AuthRequest;
import com.landbot.router.ingest.auth.AuthResult;
import com.landbot.router.ingest.auth.Authenticator;
import com.landbot.router.ingest.auth.CredentialsSource.CredentialsUnavailableException;
import com.landbot.router.shared.AwsClients;
import com.landbot.router.shared.Json;
import com.landbot.router.shared.Log;
import com.landbot.router.shared.MessagePage;
import com.landbot.router.shared.MessageStatus;
import com.landbot.router.shared.Priming;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * API Gateway HTTP API (payload 2.0) adapter for every route of the API:
 * <ul>
 *   <li>{@code POST /messages} (the bot's credentials) and {@code GET /messages/{id}} (the bot's or an admin's);</li>
 *   <li>{@code GET /messages?status=...}, {@code GET /topics}, {@code PUT /topics/{name}}: admin credentials only.</li>
 * </ul>
 * It checks the caller's credentials ({@link Authenticator}) before anything else, then turns events into
 * {@link IngestService} and {@link TopicService} calls and results into HTTP answers, nothing more.
 */
public final class IngestHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    static final String POST_MESSAGES = "POST /messages";
    static final String GET_MESSAGE = "GET /messages/{id}";
    static final String LIST_MESSAGES = "GET /messages";
    static final String LIST_TOPICS = "GET /topics";
    static final String PUT_TOPIC = "PUT /topics/{name}";
    static final String RETRY_MESSAGE = "POST /messages/{id}/retry";
    static final String RETRY_MESSAGES = "POST /messages/retry";
    static final String COUNT_MESSAGES = "GET /counts";
    static final String CONSOLE = "GET /console";
    static final String CONSOLE_FILE = "GET /console/{file}";
    /** Every route this handler serves; template.yaml declares exactly these (TemplateContractTest). */
    static final List<String> ROUTES = List.of(POST_MESSAGES, GET_MESSAGE, LIST_MESSAGES, LIST_TOPICS, PUT_TOPIC,
            RETRY_MESSAGE, RETRY_MESSAGES, COUNT_MESSAGES, CONSOLE, CONSOLE_FILE);

    static final int DEFAULT_PAGE_SIZE = 25;
    static final int MAX_PAGE_SIZE = 100;

    /**
     * Whose credentials a route takes. Listing, retrying and routing are for operators, not for the bot. The console's
     * static files take none: they hold no data, and the page asks for the admin token itself.
     */
    enum Access { PUBLIC, BOT, BOT_OR_ADMIN, ADMIN }

    /** Who is calling, once let in: the bot sees a message's status, an operator its attempt history too. */
    enum Caller { ANYONE, BOT, ADMIN }

    /** {@code refusal} is the 401 or 403 to answer, or null when {@code caller} may use the route. */
    private record Decision(Caller caller, APIGatewayV2HTTPResponse refusal) {
    }

    private final IngestService service;
    private final TopicService topics;
    private final RetryService retries;
    private final ConsoleAssets console;
    private final Authenticator bot;
    /** Null when no admin credentials are configured: the admin routes then answer 401 to everyone. */
    private final Authenticator admin;
    /** Held for the container's life: SnapStart runs it before the snapshot. */
    private Priming priming;

    /** Lambda's entry: services and authenticators, with their SDK clients, once per container. */
    public IngestHandler() {
        this(System.getenv(), new AwsClients(System.getenv()));
        this.priming = Priming.register("ingest", service::prime);
    }

    /** Wired from a function environment (see template.yaml) with the given clients: what tests and tools use. */
    public IngestHandler(Map<String, String> env, AwsClients clients) {
        this(IngestWiring.wire(env, clients));
    }

    private IngestHandler(IngestWiring.Wired wired) {
        this(wired.service(), wired.topics(), wired.retries(), wired.bot(), wired.admin());
    }

    public IngestHandler(IngestService service, TopicService topics, RetryService retries, Authenticator bot, Authenticator admin) {
        this.service = service;
        this.topics = topics;
        this.retries = retries;
        this.console = ConsoleAssets.load();
        this.bot = bot;
        this.admin = admin;
    }

    /** The bot's routes only: unit tests of message handling. */
    public IngestHandler(IngestService service, Authenticator bot) {
        this(service, null, null, bot, null);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        if (event == null) {
            return respond(400, new ErrorBody("Empty event", List.of("expected an API Gateway HTTP API request")), Map.of());
        }
        try {
            String route = route(event);
            if (!ROUTES.contains(route)) {
                return respond(404, new ErrorBody("Not found", List.of("routes: " + String.join(", ", ROUTES))), Map.of());
            }
            byte[] body = body(event);
            // An undecodable body is authenticated as the text it arrived as; it is rejected with a 400 after.
            Decision decision = authorize(route, new AuthRequest(route.substring(0, route.indexOf(' ')),
                    event.getRawPath(), event.getRawQueryString(), Authenticator.Headers.of(event.getHeaders()),
                    body != null ? body : textBytes(event.getBody())));
            if (decision.refusal() != null) {
                return decision.refusal();
            }
            if (body == null) {
                return respond(400, new ErrorBody("Request body is not valid base64", List.of("API Gateway marked the body base64 but it is not")), Map.of());
            }
            return switch (route) {
                case POST_MESSAGES -> post(event, body);
                case GET_MESSAGE -> get(event, decision.caller());
                case LIST_MESSAGES -> list(event);
                case LIST_TOPICS -> listTopics();
                case PUT_TOPIC -> putTopic(event, body);
                case RETRY_MESSAGE -> retry(event);
                case RETRY_MESSAGES -> retryAll(event, body);
                case COUNT_MESSAGES -> respond(200, new Counts(service.countByStatus()), Map.of());
                case CONSOLE -> consoleFile(ConsoleAssets.PAGE);
                case CONSOLE_FILE -> consoleFile(event.getPathParameters() == null ? null : event.getPathParameters().get("file"));
                default -> throw new IllegalStateException("route " + route + " has no handler");
            };
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

    static Access access(String route) {
        return switch (route) {
            case CONSOLE, CONSOLE_FILE -> Access.PUBLIC;
            case POST_MESSAGES -> Access.BOT;
            case GET_MESSAGE -> Access.BOT_OR_ADMIN;
            default -> Access.ADMIN;
        };
    }

    /**
     * Null when the caller may use the route; else the 401 or 403 to answer. The credentials the route takes are
     * checked first, so an admin secret Secrets Manager cannot read right now never fails a bot's request.
     */
    private Decision authorize(String route, AuthRequest request) {
        Access access = access(route);
        if (access == Access.PUBLIC) {
            return new Decision(Caller.ANYONE, null);
        }
        AuthResult result = access == Access.ADMIN ? asAdmin(request) : bot.authenticate(request);
        if (result instanceof AuthResult.Authenticated) {
            return new Decision(access == Access.ADMIN ? Caller.ADMIN : Caller.BOT, null);
        }
        if (access == Access.BOT_OR_ADMIN && asAdmin(request) instanceof AuthResult.Authenticated) {
            return new Decision(Caller.ADMIN, null);
        }
        if (access == Access.ADMIN && bot.authenticate(request) instanceof AuthResult.Authenticated) {
            Log.info("request.forbidden", "route", route, "why", "bot credentials on an admin route");
            return new Decision(null, respond(403, new ErrorBody("Forbidden", List.of("this route needs admin credentials")), Map.of()));
        }
        // The reason class only: header values may be secrets, or near-misses of them.
        AuthResult.Denied denied = (AuthResult.Denied) result;
        Log.info("request.unauthenticated", "route", route, "reason", denied.reason().code());
        List<String> details = access == Access.ADMIN && admin == null
                ? List.of("no admin credentials are configured for this deployment")
                : List.of(denied.reason().detail());
        return new Decision(null, respond(401, new ErrorBody("Unauthorized", details), Map.of("WWW-Authenticate", "Bearer")));
    }

    /** Denied as missing credentials when no admin credentials are configured. */
    private AuthResult asAdmin(AuthRequest request) {
        return admin == null ? new AuthResult.Denied(AuthResult.Reason.MISSING_CREDENTIALS) : admin.authenticate(request);
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

    private APIGatewayV2HTTPResponse get(APIGatewayV2HTTPEvent event, Caller caller) {
        String id = event.getPathParameters() == null ? null : event.getPathParameters().get("id");
        if (id == null || !isUuid(id)) {
            return notFound(id);
        }
        return service.find(id)
                .map(message -> respond(200, caller == Caller.ADMIN ? MessageView.forOperator(message) : MessageView.of(message), Map.of()))
                .orElseGet(() -> notFound(id));
    }

    /** {@code POST /messages/{id}/retry}: 202 queued (or already queued by an earlier retry), 409 not in ERROR. */
    private APIGatewayV2HTTPResponse retry(APIGatewayV2HTTPEvent event) {
        String id = event.getPathParameters() == null ? null : event.getPathParameters().get("id");
        if (id == null || !isUuid(id)) {
            return notFound(id);
        }
        return switch (retries.retry(id)) {
            case RetryService.Outcome.Queued queued -> respond(202, MessageView.forOperator(queued.message()),
                    Map.of("Location", "/messages/" + id));
            case RetryService.Outcome.AlreadyRetrying already -> respond(202, MessageView.forOperator(already.message()),
                    Map.of("Location", "/messages/" + id));
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

    private APIGatewayV2HTTPResponse consoleFile(String name) {
        return console.find(name)
                .map(asset -> {
                    Map<String, String> headers = new java.util.HashMap<>(ConsoleAssets.SECURITY_HEADERS);
                    headers.put("Content-Type", asset.contentType());
                    return APIGatewayV2HTTPResponse.builder().withStatusCode(200).withHeaders(headers)
                            .withBody(asset.body()).withIsBase64Encoded(false).build();
                })
                .orElseGet(() -> respond(404, new ErrorBody("Not found", List.of("the console is at /console")), Map.of()));
    }

    /** {@code GET /messages?status=ERROR&limit=25&cursor=...}: one page, newest first. */
    private APIGatewayV2HTTPResponse list(APIGatewayV2HTTPEvent event) {
        Map<String, String> query = event.getQueryStringParameters() == null ? Map.of() : event.getQueryStringParameters();
        List<String> problems = new java.util.ArrayList<>();
        String statusName = query.get("status");
        MessageStatus status = null;
        if (statusName == null || statusName.isBlank()) {
            problems.add("status: is required, one of " + java.util.Arrays.toString(MessageStatus.values()));
        } else {
            try {
                status = MessageStatus.valueOf(statusName.strip().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.add("status: must be one of " + java.util.Arrays.toString(MessageStatus.values()));
            }
        }
        int limit = DEFAULT_PAGE_SIZE;
        String limitText = query.get("limit");
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText.strip());
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_PAGE_SIZE) {
                problems.add("limit: must be a whole number from 1 to " + MAX_PAGE_SIZE);
            }
        }
        String cursor = query.get("cursor");
        if (!problems.isEmpty()) {
            return respond(400, new ErrorBody("Query is invalid", problems), Map.of());
        }
        MessagePage page;
        try {
            page = service.list(status, limit, cursor == null || cursor.isBlank() ? null : cursor.strip());
        } catch (IllegalArgumentException e) {
            return respond(400, new ErrorBody("Query is invalid", List.of("cursor: " + e.getMessage())), Map.of());
        }
        return respond(200, new MessageList(page.messages().stream().map(MessageView::of).toList(), page.nextCursor()), Map.of());
    }

    /** The body of {@code GET /messages}; {@code nextCursor} is left out on the last page. */
    record MessageList(List<MessageView> messages, String nextCursor) {
    }

    record TopicList(List<TopicView> topics) {
    }

    private APIGatewayV2HTTPResponse listTopics() {
        return respond(200, new TopicList(topics.list().stream().map(TopicView::of).toList()), Map.of());
    }

    private APIGatewayV2HTTPResponse putTopic(APIGatewayV2HTTPEvent event, byte[] body) {
        String name = event.getPathParameters() == null ? null : event.getPathParameters().get("name");
        return switch (topics.put(name, new RawRequest(header(event, "content-type"), body))) {
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

    /**
     * The route key API Gateway matched, and its path parameters; derived from method and path where a tool
     * sends {@code $default} or no route key.
     */
    static String route(APIGatewayV2HTTPEvent event) {
        String key = event.getRouteKey();
        if (ROUTES.contains(key)) {
            return key;
        }
        var http = event.getRequestContext() == null ? null : event.getRequestContext().getHttp();
        String method = http == null || http.getMethod() == null ? "" : http.getMethod().toUpperCase(java.util.Locale.ROOT);
        String path = event.getRawPath() == null ? "" : event.getRawPath();
        for (String route : ROUTES) {
            String[] parts = route.split(" ", 2);
            if (!parts[0].equals(method)) {
                continue;
            }
            Map<String, String> parameters = PathTemplate.match(parts[1], path).orElse(null);
            if (parameters != null) {
                if (!parameters.isEmpty() && (event.getPathParameters() == null || event.getPathParameters().isEmpty())) {
                    event.setPathParameters(parameters);
                }
                return route;
            }
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
