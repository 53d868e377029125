package com.landbot.router.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.landbot.router.ingest.IngestResult.Reason;
import com.landbot.router.shared.EmailTarget;
import com.landbot.router.emulators.TemplateDefinitions;
import com.landbot.router.shared.CachedRoutes;
import com.landbot.router.shared.Route;
import com.landbot.router.shared.RoutingTable;
import com.landbot.router.emulators.InMemoryRouteStore;
import com.landbot.router.emulators.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestValidatorTest {

    private final RequestValidator validator = new RequestValidator(RoutingTable.of(TemplateDefinitions.seedTopics()));

    private RequestValidator.Validated validate(String contentType, String body) {
        return validator.validate(new RawRequest(contentType, body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aTopicAddedThroughAnotherContainerIsAcceptedWithoutWaitingForTheCache() {
        InMemoryRouteStore store = InMemoryRouteStore.defaults();
        MutableClock clock = new MutableClock(Instant.parse("2026-11-29T10:00:00Z"));
        RequestValidator cached = new RequestValidator(new CachedRoutes(store, clock, Duration.ofSeconds(30)));
        String support = "{\"topic\":\"support\",\"description\":\"help\"}";
        assertNotNull(cached.validate(new RawRequest("application/json", support.getBytes(StandardCharsets.UTF_8))).rejection());

        store.put(new Route("support", new EmailTarget(List.of("support@example.com"))));
        clock.advance(Duration.ofSeconds(6));

        assertEquals(new IngestRequest("support", "email", "help"),
                cached.validate(new RawRequest("application/json", support.getBytes(StandardCharsets.UTF_8))).request());
    }

    @Test
    void validRequestIsNormalised() {
        IngestRequest request = validate("application/json", "{\"topic\":\" Pricing \",\"description\":\"\\n  How much?\\t\"}").request();
        assertEquals(new IngestRequest("pricing", "email", "How much?"), request);
    }

    /** Text a reader sees as empty: zero-width and no-break spaces, a byte order mark, a word joiner, bidi controls. */
    @ParameterizedTest
    @ValueSource(strings = {"\\u200B\\u200B", "\\u00A0\\u00A0", "\\u2007\\u202F", "\\uFEFF", "\\u2060", "\\u202E", "\\u3000 \\u200D\\n"})
    void aDescriptionThatOnlyLooksEmptyIsEmpty(String jsonEscapedDescription) {
        var rejection = validate("application/json", "{\"topic\":\"sales\",\"description\":\"" + jsonEscapedDescription + "\"}").rejection();
        assertNotNull(rejection, jsonEscapedDescription);
        assertEquals(List.of("description: must not be empty"), rejection.details());
    }

    @Test
    void unknownFieldsAreIgnoredSoBotsCanSendExtraVariables() {
        assertNotNull(validate("application/json", "{\"topic\":\"sales\",\"description\":\"x\",\"name\":\"Ann\"}").request());
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/json; charset=utf-8", "Application/JSON;charset=\"UTF-8\""})
    void jsonContentTypesAreAccepted(String contentType) {
        assertTrue(RequestValidator.isJson(contentType));
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin1", "application/jsonp", "", ";", " ; charset=utf-8"})
    void otherContentTypesAreRejected(String contentType) {
        assertFalse(RequestValidator.isJson(contentType));
        assertEquals(Reason.UNSUPPORTED_MEDIA_TYPE, validate(contentType, "{}").rejection().reason());
    }

    @Test
    void everyFieldProblemIsReportedAtOnce() {
        var rejection = validate("application/json", "{\"topic\":42}").rejection();
        assertEquals(List.of("topic: must be a string, not number", "description: is required"), rejection.details());
    }

    @Test
    void unknownTopicListsTheValidOnes() {
        var rejection = validate("application/json", "{\"topic\":\"support\",\"description\":\"x\"}").rejection();
        assertEquals(List.of("topic: 'support' is not a known topic; valid topics are: pricing, sales"), rejection.details());
    }

    @Test
    void descriptionLengthIsBoundedInCharactersNotBytes() {
        String emoji = "\uD83D\uDE00";
        assertNull(validate("application/json", "{\"topic\":\"sales\",\"description\":\"" + emoji.repeat(RequestValidator.MAX_DESCRIPTION_LENGTH) + "\"}").rejection());
        var rejection = validate("application/json", "{\"topic\":\"sales\",\"description\":\"" + "a".repeat(RequestValidator.MAX_DESCRIPTION_LENGTH + 1) + "\"}").rejection();
        assertEquals(List.of("description: is 4001 characters long; the limit is 4000"), rejection.details());
    }

    @Test
    void bodyOverTheCapIsRejectedBeforeParsing() {
        var rejection = validator.validate(new RawRequest("application/json", new byte[RequestValidator.MAX_BODY_BYTES + 1])).rejection();
        assertEquals(Reason.PAYLOAD_TOO_LARGE, rejection.reason());
    }

    @Test
    void invalidUtf8IsRejected() {
        var rejection = validator.validate(new RawRequest("application/json", new byte[] {'{', (byte) 0xC3, '}'})).rejection();
        assertEquals("Request body is not valid UTF-8", rejection.error());
    }

    @Test
    void duplicateKeysAreRejectedRatherThanGuessed() {
        var rejection = validate("application/json", "{\"topic\":\"sales\",\"topic\":\"pricing\",\"description\":\"x\"}").rejection();
        assertEquals("Request body is not valid JSON", rejection.error());
        assertTrue(rejection.details().get(0).contains("Duplicate field 'topic'"), rejection.details().toString());
    }

    @Test
    void trailingContentAfterTheObjectIsRejected() {
        assertEquals("Request body is not valid JSON",
                validate("application/json", "{\"topic\":\"sales\",\"description\":\"x\"} {}").rejection().error());
    }

    @Test
    void nullFieldsCountAsMissing() {
        assertEquals(List.of("topic: is required", "description: is required"),
                validate("application/json", "{\"topic\":null,\"description\":null}").rejection().details());
    }

    @Test
    void unpairedSurrogateEscapesAreRejectedBecauseNoStoreCanHoldThem() {
        assertEquals(List.of("description: contains an unpaired surrogate escape (\\uD800-\\uDFFF); send valid Unicode"),
                validate("application/json", "{\"topic\":\"sales\",\"description\":\"a\\ud800b\"}").rejection().details());
        assertNotNull(validate("application/json", "{\"topic\":\"sales\",\"description\":\"\\ud83d\\ude00\"}").request(),
                "an escaped pair is one emoji");
    }
}
