package com.landbot.router.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.InputStream;
import java.io.OutputStream;
import com.landbot.router.emulators.TemplateDefinitions;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What template.yaml promises about this function, checked against the code. */
class TemplateContractTest {

    @Test
    void handlerStringNamesThisHandler() throws Exception {
        String handler = TemplateDefinitions.handler("IngestFunction");
        assertEquals(IngestHandler.class.getName() + "::handleRequest", handler);

        Method method = resolve(handler);
        assertEquals(IngestHandler.class, method.getDeclaringClass());
        // A stream handler: the event is read by the handler itself (shared Json), not by the runtime's serialiser.
        assertTrue(RequestStreamHandler.class.isAssignableFrom(IngestHandler.class));
        assertEquals(List.of(InputStream.class, OutputStream.class, Context.class), List.of(method.getParameterTypes()));
    }

    @Test
    void aHandlerStringTheRuntimeCouldNotLoadIsRefused() {
        assertThrows(NoSuchMethodException.class, () -> resolve(IngestHandler.class.getName() + "::handle"));
        assertThrows(ClassNotFoundException.class, () -> resolve("com.landbot.router.ingest.NoSuchHandler::handleRequest"));
        assertThrows(NoSuchMethodException.class, () -> resolve(IngestService.class.getName() + "::accept"),
                "the runtime needs a public no-argument constructor and a (event, Context) or (InputStream, OutputStream, Context) method");
    }

    /**
     * What the Lambda Java runtime does with a handler string: load {@code Class::method}, construct it with its
     * public no-argument constructor, and call the public method of that name taking (event, Context), or
     * (InputStream, OutputStream, Context) for a stream handler.
     */
    private static Method resolve(String handler) throws ReflectiveOperationException {
        String[] parts = handler.split("::", 2);
        Class<?> type = Class.forName(parts[0]);
        type.getConstructor();
        String name = parts.length == 2 ? parts[1] : "handleRequest";
        return Arrays.stream(type.getMethods())
                .filter(m -> m.getName().equals(name) && !m.isBridge()
                        && (m.getParameterCount() == 2 && m.getParameterTypes()[1] == Context.class
                        || List.of(m.getParameterTypes()).equals(List.of(InputStream.class, OutputStream.class, Context.class))))
                .findFirst()
                .orElseThrow(() -> new NoSuchMethodException(handler));
    }

    @Test
    void apiRoutesAreTheOnesTheHandlerServes() {
        java.util.Set<String> declared = new java.util.TreeSet<>();
        TemplateDefinitions.properties("IngestFunction").path("Events").forEach(event -> {
            if (event.path("Type").asText().equals("HttpApi")) {
                declared.add(event.path("Properties").path("Method").asText() + " " + event.path("Properties").path("Path").asText());
            }
        });
        assertEquals(new java.util.TreeSet<>(IngestHandler.ROUTES), declared);
    }

    @Test
    void bothJavaFunctionsStartTheirJvmsAlikeAndTheSeederGetsNoneOfTheirSettings() {
        assertEquals("-XX:+TieredCompilation -XX:TieredStopAtLevel=1", TemplateDefinitions.javaToolOptions("IngestFunction"));
        assertEquals(TemplateDefinitions.javaToolOptions("IngestFunction"), TemplateDefinitions.javaToolOptions("DispatchFunction"));
        assertTrue(TemplateDefinitions.template().path("Globals").path("Function").path("Environment").isMissingNode(),
                "Globals reach the Python seeder too");
    }

    @Test
    void queueVisibilityTimeoutIsAtLeastSixTimesTheDispatchTimeout() {
        assertTrue(TemplateDefinitions.queueVisibilityTimeout() >= 6 * TemplateDefinitions.functionTimeout("DispatchFunction"));
    }

    @Test
    void theOpenApiDocumentDescribesExactlyTheTemplatesRoutes() throws Exception {
        var openApi = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(com.landbot.router.emulators.ProjectPaths.root().resolve("docs/openapi.yaml").toFile());
        java.util.Set<String> documented = new java.util.TreeSet<>();
        openApi.path("paths").fields().forEachRemaining(path -> path.getValue().fieldNames()
                .forEachRemaining(method -> documented.add(method.toUpperCase() + " " + path.getKey())));
        assertEquals(new java.util.TreeSet<>(IngestHandler.ROUTES), documented);
    }
}
