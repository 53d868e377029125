package com.landbot.router.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.landbot.router.shared.Json;
import com.landbot.router.shared.Route;
import com.landbot.router.emulators.Events;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Names and ids as documented (issue 16, item 5, the API's side): what the path says is what is used, or a 400/404. */
class PathsAndIdsTest {

    final InMemoryApi api = new InMemoryApi(Instant.parse("2026-11-29T10:15:00Z"));

    /** PUT /topics/{name} as API Gateway passes it: the path parameter decoded. */
    private APIGatewayV2HTTPResponse putTopic(String name) {
        APIGatewayV2HTTPEvent event = Events.load("put-topic-support.json", APIGatewayV2HTTPEvent.class);
        event.setPathParameters(Map.of("name", name));
        event.setBody("{\"channel\":\"email\",\"target\":{\"recipients\":[\"attacker@example.com\"]}}");
        return api.handler.handle(event);
    }

    @ParameterizedTest
    @ValueSource(strings = {" pricing", "pricing\t", "Sales ", "Sales", "SUPPORT", "sup port", "pricing\n"})
    void aPathNameOutsideTheDocumentedCharactersIsRefusedNotTrimmedOrLowerCased(String name) {
        Route pricing = api.route("pricing");
        Route sales = api.route("sales");

        APIGatewayV2HTTPResponse response = putTopic(name);

        assertEquals(400, response.getStatusCode(), response.getBody());
        assertTrue(response.getBody().contains("a-z, 0-9"), response.getBody());
        assertEquals(pricing, api.route("pricing"));
        assertEquals(sales, api.route("sales"));
        assertNull(api.route("support"));
    }

    @Test
    void anExactNameIsAccepted() {
        assertEquals(201, putTopic("support_2-b").getStatusCode());
    }

    @Test
    void aMessageIsFoundByItsIdInUpperCaseToo() throws Exception {
        String id = Json.MAPPER.readTree(api.handler.handle(Events.load("post-sales.json", APIGatewayV2HTTPEvent.class))
                .getBody()).get("id").asText();
        APIGatewayV2HTTPEvent get = Events.load("get-message.json", APIGatewayV2HTTPEvent.class);
        get.setPathParameters(Map.of("id", id.toUpperCase(Locale.ROOT)));

        APIGatewayV2HTTPResponse response = api.handler.handle(get);

        assertEquals(200, response.getStatusCode(), response.getBody());
        assertEquals(id, Json.MAPPER.readTree(response.getBody()).get("id").asText(), "ids are shown lower-case");
    }

    @Test
    void aNotFoundRepeatsABoundedPartOfALongId() {
        APIGatewayV2HTTPEvent get = Events.load("get-message.json", APIGatewayV2HTTPEvent.class);
        get.setPathParameters(Map.of("id", "a".repeat(10_000)));

        APIGatewayV2HTTPResponse response = api.handler.handle(get);

        assertEquals(404, response.getStatusCode());
        assertTrue(response.getBody().length() < 200, () -> response.getBody().length() + " characters: " + response.getBody().substring(0, 200));
        assertTrue(response.getBody().contains("10000 characters; ids are UUIDs"), response::getBody);
    }
}
