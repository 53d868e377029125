package com.landbot.router.ingest.auth;

/**
 * What a request's credentials are checked against: the request as API Gateway received it.
 *
 * @param method the HTTP method of the route API Gateway matched, upper case ({@code POST})
 * @param path   the path as sent, still percent-encoded ({@code rawPath}: {@code /topics/sales})
 * @param query  the query string as sent, without {@code ?}; empty when there is none ({@code rawQueryString})
 * @param body   the body's bytes as the caller sent them (after API Gateway's base64 is undone)
 */
public record AuthRequest(String method, String path, String query, Authenticator.Headers headers, byte[] body) {

    public AuthRequest {
        method = method == null ? "" : method;
        path = path == null ? "" : path;
        query = query == null ? "" : query;
        headers = headers == null ? Authenticator.Headers.of(null) : headers;
        body = body == null ? new byte[0] : body;
    }
}
