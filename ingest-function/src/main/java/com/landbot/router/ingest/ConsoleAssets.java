package com.landbot.router.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The operator console ({@code GET /console}): three static files in this jar, read once per container, served by
 * the API itself so the console works wherever the API does (deployed, {@code make run}) with nothing else to host.
 * The page holds no data and no secret: it asks for the admin token and calls the admin routes with it, from the
 * browser. What a browser may do with the page is fixed by {@link #SECURITY_HEADERS}.
 */
public final class ConsoleAssets {

    /** The page's own name: {@code GET /console}. */
    public static final String PAGE = "index.html";

    /**
     * Scripts and styles only from this origin (no inline script, no eval), requests only to this API, no framing
     * (clickjacking of the Retry button), no form submission (the token can never leave in a URL), no referrer.
     */
    public static final Map<String, String> SECURITY_HEADERS = Map.of(
            "Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                    + "connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
            "X-Frame-Options", "DENY",
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer",
            "Cross-Origin-Opener-Policy", "same-origin",
            "Cache-Control", "no-cache");

    /** A file of the console and its content type. */
    public record Asset(String contentType, String body) {
    }

    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8");

    private final Map<String, Asset> assets;

    private ConsoleAssets(Map<String, Asset> assets) {
        this.assets = Map.copyOf(assets);
    }

    /** The files under {@code console/} next to this class; a missing one is a packaging bug, found at start. */
    public static ConsoleAssets load() {
        Map<String, Asset> assets = new LinkedHashMap<>();
        for (String name : new String[] {PAGE, "console.js", "console.css"}) {
            try (InputStream in = ConsoleAssets.class.getResourceAsStream("console/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("console/" + name + " is missing from the ingest function's jar");
                }
                String extension = name.substring(name.lastIndexOf('.') + 1);
                assets.put(name, new Asset(CONTENT_TYPES.get(extension), new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new ConsoleAssets(assets);
    }

    /** The file with this exact name; anything else (paths, dots, other files) is not one. */
    public Optional<Asset> find(String name) {
        return Optional.ofNullable(name == null ? null : assets.get(name));
    }

    public Asset page() {
        return assets.get(PAGE);
    }
}
