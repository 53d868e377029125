package com.landbot.router.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.landbot.router.testing.TemplateDefinitions;
import org.junit.jupiter.api.Test;

/** What template.yaml promises about this function, checked against the code. */
class TemplateContractTest {

    @Test
    void handlerStringNamesThisHandler() throws Exception {
        String handler = TemplateDefinitions.handler("IngestFunction");
        assertEquals(IngestHandler.class.getName() + "::handleRequest", handler);
        assertTrue(IngestHandler.class.getMethod("handleRequest",
                com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent.class,
                com.amazonaws.services.lambda.runtime.Context.class) != null);
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
    void queueVisibilityTimeoutIsAtLeastSixTimesTheDispatchTimeout() {
        assertTrue(TemplateDefinitions.queueVisibilityTimeout() >= 6 * TemplateDefinitions.functionTimeout("DispatchFunction"));
    }

    @Test
    void theOpenApiDocumentDescribesExactlyTheTemplatesRoutes() throws Exception {
        var openApi = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(com.landbot.router.testing.ProjectPaths.root().resolve("docs/openapi.yaml").toFile());
        java.util.Set<String> documented = new java.util.TreeSet<>();
        openApi.path("paths").fields().forEachRemaining(path -> path.getValue().fieldNames()
                .forEachRemaining(method -> documented.add(method.toUpperCase() + " " + path.getKey())));
        assertEquals(new java.util.TreeSet<>(IngestHandler.ROUTES), documented);
    }
}
