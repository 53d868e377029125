package com.landbot.router.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.landbot.router.local.HttpApiGateway.Route;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HttpApiGatewayTest {

    private final Route get = new Route("GET", "/messages/{id}");

    @Test
    void routesAreIngestFunctionsHttpApiEventsInTheTemplate() {
        assertEquals(List.of("POST /messages", "GET /messages/{id}", "GET /messages", "GET /topics", "PUT /topics/{name}",
                        "POST /messages/{id}/retry", "POST /messages/retry", "GET /counts", "GET /console", "GET /console/{file}"),
                HttpApiGateway.templateRoutes().stream().map(Route::key).toList());
    }

    @Test
    void aPathParameterIsCapturedDecoded() {
        assertEquals(Optional.of(Map.of("id", "a b")), get.match("GET", "/messages/a%20b"));
    }

    @Test
    void anotherMethodAnExtraSegmentOrAnEmptyParameterMatchesNoRoute() {
        assertEquals(Optional.empty(), get.match("POST", "/messages/abc"));
        assertEquals(Optional.empty(), get.match("GET", "/messages/abc/more"));
        assertEquals(Optional.empty(), get.match("GET", "/messages/"));
    }

    @Test
    void aMethodMatchesOnlyAsWrittenAsApiGatewayMatchesIt() {
        Route put = new Route("PUT", "/topics/{name}");
        assertEquals(Optional.empty(), put.match("put", "/topics/sales"));
        assertEquals(Optional.empty(), get.match("Get", "/messages/abc"));
        assertEquals(Optional.of(Map.of("name", "sales")), put.match("PUT", "/topics/sales"));
    }

    @Test
    void aPlusInAPathIsAPlusNotASpace() {
        assertEquals(Optional.of(Map.of("id", "a+b")), get.match("GET", "/messages/a+b"));
        assertEquals(Optional.of(Map.of("id", "a+b c")), get.match("GET", "/messages/a%2Bb%20c"));
    }
}
