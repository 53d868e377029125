package com.landbot.router.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.landbot.router.ingest.IngestResult.Reason;
import com.landbot.router.ingest.IngestResult.Rejected;
import com.landbot.router.shared.MessageSelection;
import com.landbot.router.shared.RoutingTable;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of {@code POST /messages/retry}: which ERROR messages to retry (a topic, a time range of acceptance, or
 * both) and one page's bound. {@link #parse} gives either the request or the reasons there is none.
 *
 * @param selection the messages to take
 * @param limit     how many ERROR messages to examine in this request, 1 to {@value RetryService#MAX_BULK}
 * @param cursor    the previous answer's {@code nextCursor}, or null for the first page
 */
public record BulkRetryRequest(MessageSelection selection, int limit, String cursor) {

    static final String EXAMPLE = "{\"topic\": \"sales\", \"createdFrom\": \"2026-11-30T08:00:00Z\", "
            + "\"createdTo\": \"2026-11-30T10:00:00Z\", \"limit\": 25}";

    /** The request, or the rejection saying what to fix. */
    public record Parsed(BulkRetryRequest request, Rejected rejection) {
    }

    public static Parsed parse(RawRequest raw) {
        RequestValidator.JsonObject parsed = RequestValidator.parseObject(raw, EXAMPLE);
        if (parsed.rejection() != null) {
            return new Parsed(null, parsed.rejection());
        }
        JsonNode root = parsed.root();
        List<String> problems = new ArrayList<>();
        String topic = null;
        JsonNode topicNode = root.get("topic");
        if (topicNode != null && !topicNode.isNull()) {
            if (!topicNode.isTextual() || !TopicService.TOPIC_NAME.matcher(RoutingTable.normalise(topicNode.textValue())).matches()) {
                problems.add("topic: must be a topic name (1 to 64 characters of a-z, 0-9, '_' and '-')");
            } else {
                topic = RoutingTable.normalise(topicNode.textValue());
            }
        }
        Instant from = instant(root, "createdFrom", problems);
        Instant to = instant(root, "createdTo", problems);
        if (from != null && to != null && !from.isBefore(to)) {
            problems.add("createdTo: must be after createdFrom");
        }
        if (topic == null && from == null && to == null && problems.isEmpty()) {
            problems.add("say which ERROR messages to retry: a topic, a time range (createdFrom, createdTo) or both, e.g. " + EXAMPLE);
        }
        int limit = RetryService.DEFAULT_BULK;
        JsonNode limitNode = root.get("limit");
        if (limitNode != null && !limitNode.isNull()) {
            if (!limitNode.canConvertToInt() || !limitNode.isIntegralNumber()
                    || limitNode.intValue() < 1 || limitNode.intValue() > RetryService.MAX_BULK) {
                problems.add("limit: must be a whole number from 1 to " + RetryService.MAX_BULK);
            } else {
                limit = limitNode.intValue();
            }
        }
        String cursor = null;
        JsonNode cursorNode = root.get("cursor");
        if (cursorNode != null && !cursorNode.isNull()) {
            if (!cursorNode.isTextual() || cursorNode.textValue().isBlank()) {
                problems.add("cursor: must be the nextCursor of the previous answer");
            } else {
                cursor = cursorNode.textValue().strip();
            }
        }
        if (!problems.isEmpty()) {
            return new Parsed(null, new Rejected(Reason.INVALID_REQUEST, "Request body is invalid", problems));
        }
        return new Parsed(new BulkRetryRequest(new MessageSelection(topic, from, to), limit, cursor), null);
    }

    private static Instant instant(JsonNode root, String field, List<String> problems) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            if (node.isTextual()) {
                return Instant.parse(node.textValue().strip());
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        problems.add(field + ": must be an ISO-8601 instant in UTC, e.g. 2026-11-30T08:00:00Z");
        return null;
    }
}
