package com.landbot.router.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.landbot.router.ingest.IngestHandler;
import com.landbot.router.ingest.PathTemplate;
import com.landbot.router.shared.Json;
import com.landbot.router.emulators.TemplateDefinitions;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * API Gateway HTTP API in front of the real {@link IngestHandler}: each HTTP request becomes the payload 2.0
 * event API Gateway would send (route key and path parameters from the routes template.yaml declares for
 * IngestFunction, lower-cased headers joined by commas, a body base64-encoded unless it is UTF-8 text), and the
 * handler's response goes back as HTTP. A request no route matches gets API Gateway's own 404, as in AWS,
 * without invoking the function.
 */
public final class HttpApiGateway implements AutoCloseable {

    /** One {@code Events} entry of type HttpApi: {@code POST /messages}, {@code GET /messages/{id}}. */
    record Route(String method, String path) {

        String key() {
            return method + " " + path;
        }

        /**
         * The path parameters, percent-decoded, when {@code rawPath} matches this route's path template. As API
         * Gateway: the method must match exactly (HTTP methods are case-sensitive: {@code put} is no route), and a
         * {@code +} in a path is a plus sign (only a query string's form encoding makes it a space).
         */
        Optional<Map<String, String>> match(String requestMethod, String rawPath) {
            if (!method.equals(requestMethod)) {
                return Optional.empty();
            }
            return PathTemplate.match(path, rawPath).map(raw -> {
                Map<String, String> decoded = new LinkedHashMap<>();
                raw.forEach((name, value) -> decoded.put(name,
                        URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8)));
                return decoded;
            });
        }
    }

    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private final HttpServer server;
    private final ExecutorService executor;
    private final IngestHandler handler;
    private final List<Route> routes;
    private final Journey journey;
    private final PrintStream out;

    private HttpApiGateway(HttpServer server, ExecutorService executor, IngestHandler handler, List<Route> routes,
                           Journey journey, PrintStream out) {
        this.server = server;
        this.executor = executor;
        this.handler = handler;
        this.routes = routes;
        this.journey = journey;
        this.out = out;
    }

    public static HttpApiGateway start(int port, IngestHandler handler, Journey journey, PrintStream out) {
        LocalHttp.limitSlowClients();
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            // A thread per request in progress, not a fixed few: the JDK server reads a request on an executor
            // thread, so with 8 threads, 8 clients that send half a request and stall would stop every other
            // caller. Stalled clients are cut off after LocalHttp's request time limit.
            ExecutorService executor = Executors.newCachedThreadPool(LocalThreads.named("api"));
            HttpApiGateway gateway = new HttpApiGateway(server, executor, handler, templateRoutes(), journey, out);
            server.createContext("/", gateway::handle);
            server.setExecutor(executor);
            server.start();
            return gateway;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve the API on port " + port, e);
        }
    }

    /** IngestFunction's HttpApi events in template.yaml. */
    static List<Route> templateRoutes() {
        List<Route> routes = new ArrayList<>();
        TemplateDefinitions.properties("IngestFunction").path("Events").forEach(event -> {
            if ("HttpApi".equals(event.path("Type").asText())) {
                JsonNode properties = event.path("Properties");
                routes.add(new Route(properties.path("Method").asText().toUpperCase(Locale.ROOT), properties.path("Path").asText()));
            }
        });
        if (routes.isEmpty()) {
            throw new IllegalStateException("template.yaml declares no HttpApi events for IngestFunction");
        }
        return List.copyOf(routes);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    List<Route> routes() {
        return routes;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String method = exchange.getRequestMethod();
            String rawPath = exchange.getRequestURI().getRawPath();
            for (Route route : routes) {
                Optional<Map<String, String>> parameters = route.match(method, rawPath);
                if (parameters.isPresent()) {
                    APIGatewayV2HTTPResponse response = invoke(exchange, route, parameters.get(), body);
                    out.println("[api] " + method + " " + rawPath + " -> " + response.getStatusCode());
                    recordJourney(route, response);
                    send(exchange, response);
                    return;
                }
            }
            out.println("[api] " + method + " " + rawPath + " -> 404 (no route; the API has " + routes.stream().map(Route::key).toList() + ")");
            sendJson(exchange, 404, "{\"message\":\"Not Found\"}");
        } catch (RuntimeException e) {
            // What API Gateway answers when the function fails to run; the cause goes to the console, not the caller.
            out.println(Console.line("[api] IngestFunction failed: " + e));
            sendJson(exchange, 500, "{\"message\":\"Internal Server Error\"}");
        }
    }

    private APIGatewayV2HTTPResponse invoke(HttpExchange exchange, Route route, Map<String, String> pathParameters, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) ->
                headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
        String rawQuery = exchange.getRequestURI().getRawQuery();
        Instant now = Instant.now();
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(route.key())
                .withRawPath(exchange.getRequestURI().getRawPath())
                .withRawQueryString(rawQuery == null ? "" : rawQuery)
                .withHeaders(headers)
                .withQueryStringParameters(query(rawQuery))
                .withPathParameters(pathParameters.isEmpty() ? null : pathParameters)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withAccountId("000000000000")
                        .withApiId("local")
                        .withDomainName(headers.getOrDefault("host", "localhost"))
                        .withDomainPrefix("local")
                        .withStage("$default")
                        .withRouteKey(route.key())
                        .withRequestId(UUID.randomUUID().toString())
                        .withTime(REQUEST_TIME.format(now))
                        .withTimeEpoch(now.toEpochMilli())
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(exchange.getRequestMethod())
                                .withPath(exchange.getRequestURI().getRawPath())
                                .withProtocol(exchange.getProtocol())
                                .withSourceIp(exchange.getRemoteAddress().getAddress().getHostAddress())
                                .withUserAgent(headers.get("user-agent"))
                                .build())
                        .build())
                .build();
        if (body.length > 0) {
            Optional<String> text = utf8Text(headers.get("content-type"), body);
            event.setBody(text.orElseGet(() -> Base64.getEncoder().encodeToString(body)));
            event.setIsBase64Encoded(text.isEmpty());
        }
        return handler.handle(event);
    }

    /**
     * The body as API Gateway passes it: text as is when the content type is textual and the bytes are valid
     * UTF-8, anything else base64-encoded, so the function sees exactly the bytes that were sent.
     */
    private static Optional<String> utf8Text(String contentType, byte[] body) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (!(type.startsWith("text/") || type.contains("json") || type.contains("xml") || type.contains("x-www-form-urlencoded"))) {
            return Optional.empty();
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private static Map<String, String> query(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return null;
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            // API Gateway joins repeated parameters with commas, as it does headers.
            parameters.merge(name, value, (a, b) -> a + "," + b);
        }
        return parameters;
    }

    /** After a 202, the receipt says the message is stored and on the queue: the first two steps of its way. */
    private void recordJourney(Route route, APIGatewayV2HTTPResponse response) {
        if (!route.method().equals("POST") || response.getStatusCode() != 202) {
            return;
        }
        JsonNode receipt = parse(response.getBody());
        String id = receipt.path("id").asText("?");
        if (route.path().endsWith("/retry")) {
            // One message retried (the bulk form answers with counts; its messages' sends show as they happen).
            if (receipt.has("history")) {
                journey.step(id, "retried by an operator (status " + receipt.path("status").asText() + ")");
            }
            return;
        }
        journey.step(id, "accepted topic=" + receipt.path("topic").asText() + " channel=" + receipt.path("channel").asText());
        journey.step(id, "queued (status " + receipt.path("status").asText() + ")");
    }

    private static JsonNode parse(String body) {
        try {
            return Json.MAPPER.readTree(body == null ? "{}" : body);
        } catch (IOException e) {
            return Json.MAPPER.createObjectNode();
        }
    }

    private static void send(HttpExchange exchange, APIGatewayV2HTTPResponse response) throws IOException {
        if (response.getHeaders() != null) {
            response.getHeaders().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        }
        if (response.getMultiValueHeaders() != null) {
            response.getMultiValueHeaders().forEach((name, values) -> values.forEach(v -> exchange.getResponseHeaders().add(name, v)));
        }
        if (response.getCookies() != null) {
            response.getCookies().forEach(cookie -> exchange.getResponseHeaders().add("Set-Cookie", cookie));
        }
        String body = response.getBody();
        byte[] bytes = body == null ? new byte[0]
                : response.getIsBase64Encoded() ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
        LocalHttp.respond(exchange, response.getStatusCode(), null, bytes);
    }

    private static void sendJson(HttpExchange exchange, int status, String json) throws IOException {
        LocalHttp.respond(exchange, status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
