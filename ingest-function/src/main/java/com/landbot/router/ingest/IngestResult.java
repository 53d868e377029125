package com.landbot.router.ingest;

import com.landbot.router.shared.Message;
import java.util.List;

/** The outcome of {@link IngestService#accept}: the handler turns each into one HTTP answer. */
public sealed interface IngestResult {

    /** Stored and queued: the 2xx promise holds. */
    record Accepted(Message message) implements IngestResult {
    }

    /** The caller's fault; nothing was stored or queued. */
    record Rejected(Reason reason, String error, List<String> details) implements IngestResult {
        public Rejected {
            details = List.copyOf(details);
        }
    }

    /** Our dependency failed; nothing is left claiming to be queued, and the caller may retry. */
    record Unavailable(String error) implements IngestResult {
    }

    enum Reason {
        UNSUPPORTED_MEDIA_TYPE,
        PAYLOAD_TOO_LARGE,
        INVALID_REQUEST
    }
}
