package com.landbot.router.ingest;

import com.landbot.router.ingest.idempotency.IdempotencyStore.StoredResponse;
import com.landbot.router.shared.Json;
import com.landbot.router.shared.Message;
import java.util.List;

/** The outcome of {@link IngestService#accept}: the handler turns each into one HTTP answer. */
public sealed interface IngestResult {

    /** Stored and queued: the 2xx promise holds. */
    record Accepted(Message message) implements IngestResult {

        /** The 202 and its body, once for the answer given now and the one an idempotent replay repeats. */
        public StoredResponse response() {
            return new StoredResponse(202, Json.write(MessageView.Receipt.of(message)), message.id());
        }
    }

    /** The caller's fault; nothing was stored or queued. */
    record Rejected(Reason reason, String error, List<String> details) implements IngestResult {
        public Rejected {
            details = List.copyOf(details);
        }
    }

    /**
     * A request with an idempotency key that was answered before, with the same content: the original answer,
     * exactly as it was given. Nothing new was stored or queued.
     */
    record Replayed(StoredResponse response) implements IngestResult {
    }

    /** Our dependency failed; nothing is left claiming to be queued, and the caller may retry. */
    record Unavailable(String error) implements IngestResult {
    }

    enum Reason {
        UNSUPPORTED_MEDIA_TYPE,
        PAYLOAD_TOO_LARGE,
        INVALID_REQUEST,
        /** The Idempotency-Key was used before with a different request (422). */
        IDEMPOTENCY_KEY_REUSED,
        /** A request with this Idempotency-Key is still being processed (409, retry shortly). */
        IDEMPOTENCY_KEY_IN_FLIGHT
    }
}
