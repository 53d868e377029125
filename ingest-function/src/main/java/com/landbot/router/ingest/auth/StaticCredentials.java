package com.landbot.router.ingest.auth;

import java.util.Arrays;
import java.util.List;

/** Secrets given in configuration ({@code AUTH_TOKENS}, comma-separated): local development and tests. */
public final class StaticCredentials implements CredentialsSource {

    private final List<String> secrets;

    public StaticCredentials(List<String> secrets) {
        this.secrets = secrets.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (this.secrets.isEmpty()) {
            throw new IllegalArgumentException("no authentication secret configured");
        }
    }

    /** @param commaSeparated {@code token} or {@code new-token,old-token} */
    public static StaticCredentials parse(String commaSeparated) {
        return new StaticCredentials(Arrays.asList(commaSeparated.split(",")));
    }

    @Override
    public List<String> validSecrets() {
        return secrets;
    }

    @Override
    public String toString() {
        return "StaticCredentials(" + secrets.size() + " secrets)";
    }
}
