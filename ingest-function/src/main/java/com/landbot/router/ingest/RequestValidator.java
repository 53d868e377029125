package com.landbot.router.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.landbot.router.ingest.IngestResult.Reason;
import com.landbot.router.ingest.IngestResult.Rejected;
import com.landbot.router.shared.Json;
import com.landbot.router.shared.Route;
import com.landbot.router.shared.Text;
import com.landbot.router.shared.RouteSource;
import com.landbot.router.shared.RoutingTable;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns what the bot sent into an {@link IngestRequest}, or says precisely what is wrong with it.
 * Field problems are collected together, so a bot author fixes everything in one round.
 */
public final class RequestValidator {

    /** Far above any real request (a description is at most {@link #MAX_DESCRIPTION_LENGTH} characters). */
    public static final int MAX_BODY_BYTES = 16 * 1024;
    /** Slack's section text limit is 3000 characters; email has no such limit, but nobody types more than this into a bot. */
    public static final int MAX_DESCRIPTION_LENGTH = 4000;
    private static final int MAX_ECHOED_LENGTH = 40;

    private final RouteSource routing;

    /** @param routing the routes (the topics table through a short cache) */
    public RequestValidator(RouteSource routing) {
        this.routing = routing;
    }

    /** Fixed routes: tests. */
    public RequestValidator(RoutingTable routing) {
        this(() -> routing);
    }

    /**
     * The body as a JSON object, or the rejection that says why it is not one: media type, size, UTF-8, syntax
     * (duplicate keys included), shape. Shared by every route that takes a JSON body.
     *
     * @param example the shape expected, quoted in the error when the body is empty or not an object
     */
    static JsonObject parseObject(RawRequest raw, String example) {
        if (!isJson(raw.contentType())) {
            return JsonObject.rejected(Reason.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json",
                    "received Content-Type: " + (raw.contentType() == null ? "(none)" : echo(raw.contentType())));
        }
        byte[] body = raw.body() == null ? new byte[0] : raw.body();
        if (body.length > MAX_BODY_BYTES) {
            return JsonObject.rejected(Reason.PAYLOAD_TOO_LARGE, "Request body is too large",
                    "body is " + body.length + " bytes; the limit is " + MAX_BODY_BYTES);
        }
        if (body.length == 0) {
            return JsonObject.rejected(Reason.INVALID_REQUEST, "Request body is empty", "send a JSON object: " + example);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            return JsonObject.rejected(Reason.INVALID_REQUEST, "Request body is not valid UTF-8", "the body must be UTF-8 encoded JSON");
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return JsonObject.rejected(Reason.INVALID_REQUEST, "Request body is not valid JSON", jsonProblem(e));
        }
        if (root == null || !root.isObject()) {
            return JsonObject.rejected(Reason.INVALID_REQUEST, "Request body must be a JSON object",
                    "received a JSON " + (root == null ? "nothing" : root.getNodeType().name().toLowerCase(Locale.ROOT))
                            + "; send " + example);
        }
        return new JsonObject(root, null);
    }

    /** Exactly one of the two is set. */
    record JsonObject(JsonNode root, Rejected rejection) {
        static JsonObject rejected(Reason reason, String error, String detail) {
            return new JsonObject(null, new Rejected(reason, error, List.of(detail)));
        }
    }

    /** @return the valid request, or the {@link Rejected} that explains why there is none */
    public Validated validate(RawRequest raw) {
        JsonObject parsed = parseObject(raw, "{\"topic\": \"...\", \"description\": \"...\"}");
        if (parsed.rejection() != null) {
            return new Validated(null, parsed.rejection());
        }
        JsonNode root = parsed.root();

        List<String> details = new ArrayList<>();
        String topic = requiredString(root, "topic", details);
        String description = requiredString(root, "description", details);
        String channel = null;
        if (topic != null) {
            channel = routing.route(topic).map(Route::channel).orElse(null);
            if (channel == null) {
                details.add("topic: '" + echo(topic.strip()) + "' is not a known topic; valid topics are: "
                        + String.join(", ", routing.current().topics()));
            }
        }
        if (description != null && description.codePointCount(0, description.length()) > MAX_DESCRIPTION_LENGTH) {
            details.add("description: is " + description.codePointCount(0, description.length())
                    + " characters long; the limit is " + MAX_DESCRIPTION_LENGTH);
        }
        if (!details.isEmpty()) {
            return new Validated(null, new Rejected(Reason.INVALID_REQUEST, "Request body is invalid", details));
        }
        return new Validated(new IngestRequest(RoutingTable.normalise(topic), channel, description), null);
    }

    /** A string field, trimmed; null (with a detail added) when missing, of another type, or blank. */
    private static String requiredString(JsonNode root, String field, List<String> details) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            details.add(field + ": is required");
            return null;
        }
        if (!node.isTextual()) {
            details.add(field + ": must be a string, not " + node.getNodeType().name().toLowerCase(Locale.ROOT));
            return null;
        }
        String value = node.textValue().strip();
        if (Text.looksEmpty(value)) {
            details.add(field + ": must not be empty");
            return null;
        }
        if (hasUnpairedSurrogate(value)) {
            // JSON's \\uD800-style escapes can name half a character; UTF-8 (and so DynamoDB) cannot store one.
            details.add(field + ": contains an unpaired surrogate escape (\\uD800-\\uDFFF); send valid Unicode");
            return null;
        }
        return value;
    }

    static boolean hasUnpairedSurrogate(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String[] parts = contentType.split(";", -1);
        if (!parts[0].strip().equalsIgnoreCase("application/json")) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String[] parameter = parts[i].split("=", 2);
            if (parameter[0].strip().equalsIgnoreCase("charset")
                    && (parameter.length < 2 || !parameter[1].strip().replace("\"", "").equalsIgnoreCase("utf-8"))) {
                return false;
            }
        }
        return true;
    }

    private static String jsonProblem(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        // Jackson's messages quote the offending input; keep the sentence, bound its length.
        var location = e.getLocation();
        String where = location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
        return echo(message == null ? "unparseable" : message.lines().findFirst().orElse(message), 160) + where;
    }

    static String echo(String value) {
        return echo(value, MAX_ECHOED_LENGTH);
    }

    /** User text repeated in an error, bounded and without control characters. */
    private static String echo(String value, int max) {
        String clean = value.codePoints()
                .map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        return clean.codePointCount(0, clean.length()) <= max ? clean : clean.substring(0, clean.offsetByCodePoints(0, max)) + "...";
    }

    /** Exactly one of the two is set. */
    public record Validated(IngestRequest request, Rejected rejection) {
    }
}
