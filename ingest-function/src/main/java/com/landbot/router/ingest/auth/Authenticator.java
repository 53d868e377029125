package com.landbot.router.ingest.auth;

import com.landbot.router.ingest.auth.AuthResult.Authenticated;
import com.landbot.router.ingest.auth.AuthResult.Denied;
import com.landbot.router.ingest.auth.AuthResult.Method;
import com.landbot.router.ingest.auth.AuthResult.Reason;
import com.landbot.router.ingest.auth.AuthResult.Signature;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a webhook request's credentials against the secrets valid now ({@link CredentialsSource}). Two ways:
 * <ul>
 *   <li>{@code Authorization: Bearer <secret>}: what a bot platform's webhook block can send;</li>
 *   <li>{@code X-Timestamp: <epoch seconds>} and {@code X-Signature: [sha256=]<hex>}, the HMAC-SHA256, keyed with
 *       the secret, of the {@linkplain #canonicalRequest canonical request}: timestamp, method, path, query and
 *       {@code Idempotency-Key} on a line each, then the raw body. A signature is thus valid for one request only:
 *       the same signature on another route, path, query or key does not match. Accepted within
 *       {@link #MAX_CLOCK_SKEW} of our clock either way; the {@link AccessPolicy} spends each accepted signature
 *       ({@link UsedSignatures}), so it is accepted once.</li>
 * </ul>
 * An {@code Authorization} header, when present, decides alone. Every comparison is constant-time, and against
 * every valid secret (no early exit), so timing says nothing about which prefix or which secret was close.
 */
public final class Authenticator {

    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
    private static final String BEARER = "bearer ";
    private static final String SIGNATURE_PREFIX = "sha256=";

    private final CredentialsSource credentials;
    private final Clock clock;

    public Authenticator(CredentialsSource credentials, Clock clock) {
        this.credentials = credentials;
        this.clock = clock;
    }

    /** @throws CredentialsSource.CredentialsUnavailableException when the secrets cannot be read */
    public AuthResult authenticate(AuthRequest request) {
        String authorization = request.headers().get("authorization");
        if (authorization != null) {
            return bearer(authorization);
        }
        String signature = request.headers().get("x-signature");
        if (signature != null) {
            return signature(signature, request.headers().get("x-timestamp"), request);
        }
        return new Denied(Reason.MISSING_CREDENTIALS);
    }

    private AuthResult bearer(String authorization) {
        String value = authorization.strip();
        if (value.length() <= BEARER.length() || !value.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            return new Denied(Reason.MALFORMED_AUTHORIZATION);
        }
        // Digests of equal length: isEqual then takes the same time whatever the lengths of token and secret.
        byte[] presented = sha256(value.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8));
        boolean match = false;
        for (String secret : credentials.validSecrets()) {
            match |= MessageDigest.isEqual(presented, sha256(secret.getBytes(StandardCharsets.UTF_8)));
        }
        return match ? new Authenticated(Method.BEARER_TOKEN) : new Denied(Reason.INVALID_TOKEN);
    }

    private AuthResult signature(String signatureHeader, String timestampHeader, AuthRequest request) {
        if (timestampHeader == null || timestampHeader.isBlank()) {
            return new Denied(Reason.MISSING_TIMESTAMP);
        }
        String timestamp = timestampHeader.strip();
        long seconds;
        try {
            if (!timestamp.chars().allMatch(c -> c >= '0' && c <= '9') || timestamp.length() > 12) {
                return new Denied(Reason.MALFORMED_TIMESTAMP);
            }
            seconds = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return new Denied(Reason.MALFORMED_TIMESTAMP);
        }
        long now = clock.instant().getEpochSecond();
        if (Math.abs(now - seconds) > MAX_CLOCK_SKEW.toSeconds()) {
            return new Denied(Reason.EXPIRED_TIMESTAMP);
        }
        byte[] presented;
        try {
            String hex = signatureHeader.strip();
            if (hex.toLowerCase(Locale.ROOT).startsWith(SIGNATURE_PREFIX)) {
                hex = hex.substring(SIGNATURE_PREFIX.length());
            }
            presented = HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return new Denied(Reason.MALFORMED_SIGNATURE);
        }
        if (presented.length != 32) {
            return new Denied(Reason.MALFORMED_SIGNATURE);
        }
        byte[] canonical = canonicalRequest(timestamp, request);
        boolean match = false;
        boolean oldForm = false;
        for (String secret : credentials.validSecrets()) {
            match |= MessageDigest.isEqual(presented, hmac(secret, canonical));
            oldForm |= MessageDigest.isEqual(presented, hmac(secret, oldForm(timestamp, request.body())));
        }
        if (match) {
            return new Authenticated(Method.HMAC_SIGNATURE, new Signature(HexFormat.of().formatHex(presented), seconds));
        }
        // Told apart so that a caller still signing the old way learns why, and the log shows who has to move.
        return new Denied(oldForm ? Reason.OUTDATED_SIGNATURE_FORM : Reason.INVALID_SIGNATURE);
    }

    /**
     * The bytes a signing caller signs (README, "Authentication"): the UTF-8 of
     * {@code <X-Timestamp>\n<METHOD>\n<path>\n<query>\n<Idempotency-Key>\n} followed by the body's raw bytes.
     * The path is as sent (percent-encoded), the query as sent without {@code ?}, an absent query or
     * Idempotency-Key an empty line. Every part but the body is one line: none can contain a line break.
     */
    public static byte[] canonicalRequest(String timestamp, AuthRequest request) {
        String idempotencyKey = request.headers().get("idempotency-key");
        byte[] head = (timestamp + "\n" + request.method() + "\n" + request.path() + "\n" + request.query() + "\n"
                + (idempotencyKey == null ? "" : idempotencyKey) + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] canonical = java.util.Arrays.copyOf(head, head.length + request.body().length);
        System.arraycopy(request.body(), 0, canonical, head.length, request.body().length);
        return canonical;
    }

    /** What signatures covered before they were bound to the request; recognised only to be refused. */
    private static byte[] oldForm(String timestamp, byte[] body) {
        byte[] head = (timestamp + ".").getBytes(StandardCharsets.UTF_8);
        byte[] bytes = java.util.Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, bytes, head.length, body.length);
        return bytes;
    }

    /** The {@code X-Signature} header value a caller with {@code secret} sends for {@code request} at {@code timestamp}. */
    public static String signatureHeader(String secret, String timestamp, AuthRequest request) {
        return SIGNATURE_PREFIX + HexFormat.of().formatHex(hmac(secret, canonicalRequest(timestamp, request)));
    }

    private static byte[] hmac(String secret, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(message);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    private static byte[] sha256(byte[] value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    /** Request headers by name, case-insensitive. */
    @FunctionalInterface
    public interface Headers {
        String get(String name);

        static Headers of(java.util.Map<String, String> headers) {
            return name -> {
                if (headers == null) {
                    return null;
                }
                for (var header : headers.entrySet()) {
                    if (header.getKey() != null && header.getKey().equalsIgnoreCase(name)) {
                        return header.getValue();
                    }
                }
                return null;
            };
        }
    }

}
