package com.landbot.router.ingest;

import java.util.List;

/** Every non-2xx answer: {@code {"error": "...", "details": [...]}}. */
public record ErrorBody(String error, List<String> details) {
}
