package com.landbot.router.local;

import com.landbot.router.shared.Json;
import com.landbot.router.emulators.ProjectPaths;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The API's documentation for people, on the inbox's port: {@code GET /docs} is Swagger UI showing
 * {@code docs/openapi.yaml}, which is served as it is in the repository at {@code /docs/openapi.yaml} (read at each
 * request, so an edit shows on reload). Swagger UI's own files come from the org.webjars:swagger-ui jar, a
 * dependency of this module only. The page offers this run's API first among the document's servers, so
 * "Try it out" and the curl lines it shows address the local API.
 */
final class LocalDocs {

    static final String PATH = "/docs";
    static final String OPENAPI = PATH + "/openapi.yaml";

    /** Where the webjar keeps its files, below a folder named for its version (read from the jar itself). */
    private static final String WEBJAR_ROOT = "META-INF/resources/webjars/swagger-ui/";
    private static final String WEBJAR_PROPERTIES = "META-INF/maven/org.webjars/swagger-ui/pom.properties";
    /** One file name of the webjar's folder: no separators, no leading dot, so no way out of that folder. */
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*(\\.[A-Za-z0-9_-]+)*");
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "png", "image/png",
            "txt", "text/plain; charset=utf-8",
            "map", "application/json");

    private final Path openApi;
    private final String webjarFolder;
    private final byte[] indexPage;

    /**
     * @param openApi the OpenAPI document to show
     * @param api     the local API's base URL, offered first in the page's server list
     */
    LocalDocs(Path openApi, URI api) {
        this.openApi = openApi;
        this.webjarFolder = WEBJAR_ROOT + webjarVersion() + "/";
        this.indexPage = indexPage(api);
    }

    /** The repository's docs/openapi.yaml. */
    static LocalDocs fromRepository(URI api) {
        return new LocalDocs(ProjectPaths.root().resolve("docs/openapi.yaml"), api);
    }

    void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            if (!"GET".equals(exchange.getRequestMethod())) {
                text(exchange, 405, "GET only");
                return;
            }
            // Decoded: %2e%2e and %2f arrive as '..' and '/', and are refused below like the plain ones.
            String path = exchange.getRequestURI().getPath();
            if (path.equals(PATH) || path.equals(PATH + "/") || path.equals(PATH + "/index.html")) {
                LocalHttp.respond(exchange, 200, CONTENT_TYPES.get("html"), indexPage);
            } else if (path.equals(OPENAPI)) {
                openApi(exchange);
            } else if (path.startsWith(PATH + "/")) {
                webjarFile(exchange, path.substring(PATH.length() + 1));
            } else {
                text(exchange, 404, "not found: try " + PATH);
            }
        }
    }

    private void openApi(HttpExchange exchange) throws IOException {
        byte[] document;
        try {
            document = Files.readAllBytes(openApi);
        } catch (NoSuchFileException e) {
            text(exchange, 404, "no OpenAPI document at " + openApi);
            return;
        }
        LocalHttp.respond(exchange, 200, "application/yaml; charset=utf-8", document);
    }

    private void webjarFile(HttpExchange exchange, String name) throws IOException {
        if (!FILE_NAME.matcher(name).matches()) {
            text(exchange, 404, "not found");
            return;
        }
        try (InputStream file = LocalDocs.class.getClassLoader().getResourceAsStream(webjarFolder + name)) {
            if (file == null) {
                text(exchange, 404, "not found");
                return;
            }
            String extension = name.substring(name.lastIndexOf('.') + 1);
            LocalHttp.respond(exchange, 200, CONTENT_TYPES.getOrDefault(extension, "application/octet-stream"), file.readAllBytes());
        }
    }

    private static void text(HttpExchange exchange, int status, String body) throws IOException {
        LocalHttp.respond(exchange, status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    private static String webjarVersion() {
        Properties properties = new Properties();
        try (InputStream in = LocalDocs.class.getClassLoader().getResourceAsStream(WEBJAR_PROPERTIES)) {
            if (in == null) {
                throw new IllegalStateException("org.webjars:swagger-ui is not on the classpath (" + WEBJAR_PROPERTIES + ")");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version");
    }

    private static byte[] indexPage(URI api) {
        try (InputStream in = LocalDocs.class.getResourceAsStream("docs-index.html")) {
            String page = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            // A JSON string is a JavaScript string literal; the URL is ours, but quoting it is what keeps it one.
            return page.replace("\"{{LOCAL_API}}\"", Json.write(api.toString())).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
