package com.landbot.router.ingest.auth;

/** Whether a request carried valid credentials; a denial says which kind of failure, never the values sent. */
public sealed interface AuthResult {

    /** @param signature the signature accepted, for {@link Method#HMAC_SIGNATURE}; null for a bearer token */
    record Authenticated(Method method, Signature signature) implements AuthResult {
        public Authenticated(Method method) {
            this(method, null);
        }
    }

    /** An accepted signature: its lower-case hex and the {@code X-Timestamp} (epoch seconds) it was made for. */
    record Signature(String hex, long timestamp) {
    }

    record Denied(Reason reason) implements AuthResult {
    }

    enum Method {
        BEARER_TOKEN,
        HMAC_SIGNATURE
    }

    /** The reason classes, safe to log and to tell the caller. */
    enum Reason {
        MISSING_CREDENTIALS("no credentials: send Authorization: Bearer <token>, or X-Signature and X-Timestamp"),
        MALFORMED_AUTHORIZATION("the Authorization header must be 'Bearer <token>'"),
        INVALID_TOKEN("the bearer token is not valid"),
        MISSING_TIMESTAMP("X-Signature needs X-Timestamp (epoch seconds)"),
        MALFORMED_TIMESTAMP("X-Timestamp must be epoch seconds"),
        EXPIRED_TIMESTAMP("X-Timestamp is more than 5 minutes from the server's clock"),
        MALFORMED_SIGNATURE("X-Signature must be the hex HMAC-SHA256, optionally prefixed 'sha256='"),
        INVALID_SIGNATURE("the signature does not match"),
        REPLAYED_SIGNATURE("this signature was used already: sign each request afresh, with its own X-Timestamp"),
        OUTDATED_SIGNATURE_FORM("the signature covers <X-Timestamp>.<body>, a form no longer accepted: sign the canonical"
                + " request (timestamp, method, path, query, Idempotency-Key and body; see the README, Authentication)");

        private final String detail;

        Reason(String detail) {
            this.detail = detail;
        }

        public String detail() {
            return detail;
        }

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
