package com.landbot.router.shared;

import java.util.Map;

/** Reads the functions' environment. A missing setting fails the container's start, not a customer's request. */
public final class Settings {

    private Settings() {
    }

    public static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is not set");
        }
        return value;
    }

    public static String optional(Map<String, String> env, String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
