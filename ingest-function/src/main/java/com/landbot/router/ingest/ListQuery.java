package com.landbot.router.ingest;

import com.landbot.router.shared.MessageStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The query of {@code GET /messages?status=ERROR&limit=25&cursor=...}: a status (required, any case), a page size
 * (1 to {@value #MAX_LIMIT}, default {@value #DEFAULT_LIMIT}) and the opaque cursor of the previous page.
 */
record ListQuery(MessageStatus status, int limit, String cursor) {

    static final int DEFAULT_LIMIT = 25;
    static final int MAX_LIMIT = 100;

    sealed interface Parsed {
        record Valid(ListQuery query) implements Parsed {
        }

        /** Each problem names its parameter. */
        record Invalid(List<String> problems) implements Parsed {
        }
    }

    /** @param parameters API Gateway's {@code queryStringParameters}; null when there is no query */
    static Parsed parse(Map<String, String> parameters) {
        Map<String, String> query = parameters == null ? Map.of() : parameters;
        List<String> problems = new ArrayList<>();
        MessageStatus status = null;
        String statusName = query.get("status");
        if (statusName == null || statusName.isBlank()) {
            problems.add("status: is required, one of " + Arrays.toString(MessageStatus.values()));
        } else {
            try {
                status = MessageStatus.valueOf(statusName.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.add("status: must be one of " + Arrays.toString(MessageStatus.values()));
            }
        }
        int limit = DEFAULT_LIMIT;
        String limitText = query.get("limit");
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText.strip());
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                problems.add("limit: must be a whole number from 1 to " + MAX_LIMIT);
            }
        }
        String cursor = query.get("cursor");
        if (!problems.isEmpty()) {
            return new Parsed.Invalid(problems);
        }
        return new Parsed.Valid(new ListQuery(status, limit, cursor == null || cursor.isBlank() ? null : cursor.strip()));
    }
}
