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
        var events = TemplateDefinitions.properties("IngestFunction").path("Events");
        assertEquals(IngestHandler.POST_MESSAGES, events.path("PostMessage").path("Properties").path("Method").asText()
                + " " + events.path("PostMessage").path("Properties").path("Path").asText());
        assertEquals(IngestHandler.GET_MESSAGE, events.path("GetMessage").path("Properties").path("Method").asText()
                + " " + events.path("GetMessage").path("Properties").path("Path").asText());
    }

    @Test
    void queueVisibilityTimeoutIsAtLeastSixTimesTheDispatchTimeout() {
        assertTrue(TemplateDefinitions.queueVisibilityTimeout() >= 6 * TemplateDefinitions.functionTimeout("DispatchFunction"));
    }
}
