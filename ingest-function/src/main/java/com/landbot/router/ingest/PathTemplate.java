package com.landbot.router.ingest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An API Gateway route path such as {@code /topics/{name}}: matching a request path to it, segment by segment, the
 * way API Gateway does (a parameter stands for one non-empty segment). The handler uses it for events that carry
 * no route key; the local API Gateway uses it to pick the route.
 */
public final class PathTemplate {

    private PathTemplate() {
    }

    /** The path parameters, undecoded, when {@code path} matches {@code template}; empty otherwise. */
    public static Optional<Map<String, String>> match(String template, String path) {
        String[] expected = template.split("/", -1);
        String[] actual = path.split("/", -1);
        if (expected.length != actual.length) {
            return Optional.empty();
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < expected.length; i++) {
            if (expected[i].startsWith("{") && expected[i].endsWith("}")) {
                if (actual[i].isEmpty()) {
                    return Optional.empty();
                }
                parameters.put(expected[i].substring(1, expected[i].length() - 1), actual[i]);
            } else if (!expected[i].equals(actual[i])) {
                return Optional.empty();
            }
        }
        return Optional.of(parameters);
    }
}
