package com.landbot.router.ingest.auth;

import com.landbot.router.ingest.auth.AuthResult.Authenticated;
import com.landbot.router.ingest.auth.AuthResult.Denied;
import com.landbot.router.ingest.auth.AuthResult.Method;
import com.landbot.router.ingest.auth.AuthResult.Reason;
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
 *       the secret, of the UTF-8 bytes of {@code <X-Timestamp>.} followed by the raw body bytes; accepted within
 *       {@link #MAX_CLOCK_SKEW} of our clock either way, so a captured request cannot be replayed later.</li>
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

    /**
     * @param headers header lookup by name, case-insensitive
     * @param rawBody the body's bytes as the caller sent them (after API Gateway's base64 is undone)
     * @throws CredentialsSource.CredentialsUnavailableException when the secrets cannot be read
     */
    public AuthResult authenticate(Headers headers, byte[] rawBody) {
        String authorization = headers.get("authorization");
        if (authorization != null) {
            return bearer(authorization);
        }
        String signature = headers.get("x-signature");
        if (signature != null) {
            return signature(signature, headers.get("x-timestamp"), rawBody == null ? new byte[0] : rawBody);
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

    private AuthResult signature(String signatureHeader, String timestampHeader, byte[] body) {
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
        boolean match = false;
        for (String secret : credentials.validSecrets()) {
            match |= MessageDigest.isEqual(presented, sign(secret, timestamp, body));
        }
        return match ? new Authenticated(Method.HMAC_SIGNATURE) : new Denied(Reason.INVALID_SIGNATURE);
    }

    /** HMAC-SHA256(secret, timestamp + "." + body): what a signing caller computes (see README). */
    public static byte[] sign(String secret, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    /** {@link #sign} as the {@code X-Signature} header value. */
    public static String signatureHeader(String secret, String timestamp, byte[] body) {
        return SIGNATURE_PREFIX + HexFormat.of().formatHex(sign(secret, timestamp, body));
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
