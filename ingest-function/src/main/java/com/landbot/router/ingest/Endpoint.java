package com.landbot.router.ingest;

import com.landbot.router.ingest.auth.AccessPolicy.Access;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The API's routes, by the route key API Gateway sends ({@code routeKey}: the matched route's method and path
 * template), and whose credentials each takes. template.yaml and docs/openapi.yaml declare exactly these
 * (TemplateContractTest).
 */
enum Endpoint {
    POST_MESSAGES("POST /messages", Access.BOT),
    GET_MESSAGE("GET /messages/{id}", Access.BOT_OR_ADMIN),
    LIST_MESSAGES("GET /messages", Access.ADMIN),
    LIST_TOPICS("GET /topics", Access.ADMIN),
    PUT_TOPIC("PUT /topics/{name}", Access.ADMIN),
    RETRY_MESSAGE("POST /messages/{id}/retry", Access.ADMIN),
    RETRY_MESSAGES("POST /messages/retry", Access.ADMIN),
    COUNT_MESSAGES("GET /counts", Access.ADMIN),
    /** The operator console's page and files: no data in them; the page asks for the admin token itself. */
    CONSOLE("GET /console", Access.ANYONE),
    CONSOLE_FILE("GET /console/{file}", Access.ANYONE);

    static final List<String> ROUTE_KEYS = Arrays.stream(values()).map(Endpoint::routeKey).toList();

    private final String routeKey;
    private final Access access;

    Endpoint(String routeKey, Access access) {
        this.routeKey = routeKey;
        this.access = access;
    }

    String routeKey() {
        return routeKey;
    }

    Access access() {
        return access;
    }

    String method() {
        return routeKey.substring(0, routeKey.indexOf(' '));
    }

    static Optional<Endpoint> of(String routeKey) {
        return Arrays.stream(values()).filter(endpoint -> endpoint.routeKey.equals(routeKey)).findFirst();
    }
}
