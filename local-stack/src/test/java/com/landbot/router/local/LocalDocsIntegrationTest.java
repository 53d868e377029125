package com.landbot.router.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.landbot.router.emulators.ProjectPaths;
import com.landbot.router.emulators.SesOutbox;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The docs on the inbox's port, over HTTP; no emulators (the inbox reads SES only when asked for emails). */
@Tag("integration")
class LocalDocsIntegrationTest {

    private static final String API = "http://localhost:43210";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalInbox inbox;

    @BeforeAll
    static void start() {
        inbox = LocalInbox.start(0, new SesOutbox(URI.create("http://127.0.0.1:9")), null,
                new PrintStream(OutputStream.nullOutputStream()));
        inbox.serveDocs(LocalDocs.fromRepository(URI.create(API)));
    }

    @AfterAll
    static void stop() {
        inbox.close();
    }

    @Test
    void docsIsSwaggerUiPointedAtTheOpenApiDocumentAndTheLocalApi() throws Exception {
        HttpResponse<String> page = get("/docs");
        assertEquals(200, page.statusCode());
        assertEquals("text/html; charset=utf-8", contentType(page));
        assertTrue(page.body().contains("url: \"/docs/openapi.yaml\""), page.body());
        assertTrue(page.body().contains("const localApi = \"" + API + "\";"), page.body());
        assertEquals(page.body(), get("/docs/").body());
    }

    @Test
    void theOpenApiDocumentIsServedAsItIsInTheRepository() throws Exception {
        HttpResponse<byte[]> yaml = getBytes("/docs/openapi.yaml");
        assertEquals(200, yaml.statusCode());
        assertEquals("application/yaml; charset=utf-8", contentType(yaml));
        assertArrayEquals(Files.readAllBytes(ProjectPaths.root().resolve("docs/openapi.yaml")), yaml.body());
    }

    @Test
    void everyFileThePageLoadsIsServedWithItsContentType() throws Exception {
        List<String> loaded = new ArrayList<>();
        Matcher reference = Pattern.compile("(?:src|href)=\"(/docs/[^\"]+)\"").matcher(get("/docs").body());
        while (reference.find()) {
            loaded.add(reference.group(1));
        }
        assertEquals(List.of("/docs/swagger-ui.css", "/docs/favicon-32x32.png", "/docs/favicon-16x16.png",
                "/docs/swagger-ui-bundle.js"), loaded);
        for (String path : loaded) {
            assertEquals(200, getBytes(path).statusCode(), path);
        }
        assertEquals("text/css; charset=utf-8", contentType(getBytes("/docs/swagger-ui.css")));
        assertEquals("image/png", contentType(getBytes("/docs/favicon-32x32.png")));

        HttpResponse<String> bundle = get("/docs/swagger-ui-bundle.js");
        assertEquals("text/javascript; charset=utf-8", contentType(bundle));
        assertTrue(bundle.body().contains("SwaggerUIBundle"), "the bundle defines SwaggerUIBundle");
    }

    @Test
    void noPathLeavesTheWebjarsFolder() throws Exception {
        for (String path : List.of(
                "/docs/../template.yaml",
                "/docs/%2e%2e/%2e%2e/template.yaml",
                "/docs/..%2F..%2F..%2Fmaven%2Forg.webjars%2Fswagger-ui%2Fpom.properties",
                "/docs/..%2F..%2F..%2F..%2F..%2Fcom%2Flandbot%2Frouter%2Flocal%2FLocalDocs.class",
                "/docs/.%2Fswagger-ui.css",
                "/docs/%2Fetc%2Fpasswd",
                "/docs/no-such-file.js")) {
            HttpResponse<String> response = get(path);
            assertEquals(404, response.statusCode(), path + " answered " + response.body());
        }
    }

    @Test
    void theInboxStillAnswersBesideTheDocs() throws Exception {
        assertEquals(200, get("/slack").statusCode());
        assertTrue(get("/nowhere").body().contains("/docs"), "the inbox's 404 names /docs");
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(request(path), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static HttpResponse<byte[]> getBytes(String path) throws Exception {
        return HTTP.send(request(path), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + inbox.port() + path)).GET().build();
    }

    private static String contentType(HttpResponse<?> response) {
        return response.headers().firstValue("Content-Type").orElse("(none)");
    }
}
