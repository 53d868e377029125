package com.landbot.router.ingest.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.landbot.router.ingest.auth.AuthResult.Authenticated;
import com.landbot.router.ingest.auth.AuthResult.Denied;
import com.landbot.router.ingest.auth.AuthResult.Method;
import com.landbot.router.ingest.auth.AuthResult.Reason;
import com.landbot.router.emulators.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

class AuthenticatorTest {

    private static final Instant NOW = Instant.parse("2026-11-29T10:15:00Z");
    private static final byte[] BODY = "{\"topic\":\"sales\",\"description\":\"hi\"}".getBytes(StandardCharsets.UTF_8);

    private final Authenticator authenticator =
            new Authenticator(new StaticCredentials(List.of("new-secret", "old-secret")), Clock.fixed(NOW, ZoneOffset.UTC));

    private static AuthRequest post(Map<String, String> headers, byte[] body) {
        return new AuthRequest("POST", "/messages", "", Authenticator.Headers.of(headers), body);
    }

    private static String signature(String secret, String timestamp, byte[] body) {
        return Authenticator.signatureHeader(secret, timestamp, post(Map.of(), body));
    }

    private AuthResult bearer(String authorization) {
        return authenticator.authenticate(post(Map.of("Authorization", authorization), BODY));
    }

    private AuthResult signed(String signature, String timestamp, byte[] body) {
        // What was signed is checked below; here only which way the caller was recognised.
        AuthResult result = authenticator.authenticate(post(Map.of("x-signature", signature, "x-timestamp", timestamp), body));
        return result instanceof Authenticated authenticated ? new Authenticated(authenticated.method()) : result;
    }

    @Test
    void bearerTokenMatchingEitherValidSecretIsAccepted() {
        assertEquals(new Authenticated(Method.BEARER_TOKEN), bearer("Bearer new-secret"));
        assertEquals(new Authenticated(Method.BEARER_TOKEN), bearer("bearer old-secret"));
        assertEquals(new Authenticated(Method.BEARER_TOKEN),
                authenticator.authenticate(post(Map.of("authorization", "BEARER  new-secret "), BODY)));
    }

    @Test
    void missingCredentialsAreDenied() {
        assertEquals(new Denied(Reason.MISSING_CREDENTIALS), authenticator.authenticate(post(Map.of(), BODY)));
        assertEquals(new Denied(Reason.MISSING_CREDENTIALS), authenticator.authenticate(post(null, BODY)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer wrong", "Bearer new-secre", "Bearer new-secret2", "Bearer NEW-SECRET", "Bearer new-secret,old-secret"})
    void wrongBearerTokenIsDenied(String authorization) {
        assertEquals(new Denied(Reason.INVALID_TOKEN), bearer(authorization));
    }

    @ParameterizedTest
    @ValueSource(strings = {"new-secret", "Basic bmV3LXNlY3JldA==", "Bearer", "Bearer ", ""})
    void authorizationThatIsNotABearerTokenIsDenied(String authorization) {
        assertEquals(new Denied(Reason.MALFORMED_AUTHORIZATION), bearer(authorization));
    }

    @Test
    void signatureOverTimestampAndRawBodyIsAccepted() {
        String timestamp = Long.toString(NOW.getEpochSecond());
        assertEquals(new Authenticated(Method.HMAC_SIGNATURE),
                signed(signature("new-secret", timestamp, BODY), timestamp, BODY));
        String withoutPrefix = signature("old-secret", timestamp, BODY).substring("sha256=".length());
        assertEquals(new Authenticated(Method.HMAC_SIGNATURE), signed(withoutPrefix.toUpperCase(), timestamp, BODY));
    }

    @Test
    void signedStringIsTimestampMethodPathQueryIdempotencyKeyAndBodyOnALineEach() throws Exception {
        var mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec("new-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] expected = mac.doFinal(("1795860900\nGET\n/messages\nstatus=ERROR&limit=2\nkey-1\n" + new String(BODY, StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8));
        AuthRequest request = new AuthRequest("GET", "/messages", "status=ERROR&limit=2",
                Authenticator.Headers.of(Map.of("Idempotency-Key", "key-1")), BODY);
        assertEquals("sha256=" + java.util.HexFormat.of().formatHex(expected), Authenticator.signatureHeader("new-secret", "1795860900", request));
    }

    @Test
    void anAcceptedSignatureIsReportedWithItsTimestampSoItCanBeSpentOnce() {
        String timestamp = Long.toString(NOW.getEpochSecond());
        String header = signature("new-secret", timestamp, BODY);
        AuthResult result = authenticator.authenticate(post(Map.of("x-signature", header.toUpperCase(), "x-timestamp", timestamp), BODY));
        assertEquals(new Authenticated(Method.HMAC_SIGNATURE, new AuthResult.Signature(header.substring("sha256=".length()), NOW.getEpochSecond())), result);
    }

    @Test
    void signatureWithAnotherSecretOrOverAnotherBodyIsDenied() {
        String timestamp = Long.toString(NOW.getEpochSecond());
        assertEquals(new Denied(Reason.INVALID_SIGNATURE),
                signed(signature("guess", timestamp, BODY), timestamp, BODY));
        byte[] tampered = "{\"topic\":\"pricing\",\"description\":\"hi\"}".getBytes(StandardCharsets.UTF_8);
        assertEquals(new Denied(Reason.INVALID_SIGNATURE),
                signed(signature("new-secret", timestamp, BODY), timestamp, tampered));
        String otherTimestamp = Long.toString(NOW.getEpochSecond() - 1);
        assertEquals(new Denied(Reason.INVALID_SIGNATURE),
                signed(signature("new-secret", timestamp, BODY), otherTimestamp, BODY));
    }

    @Test
    void timestampsOutsideFiveMinutesEitherWayAreDenied() {
        for (long offset : new long[] {-301, 301, -86_400}) {
            String timestamp = Long.toString(NOW.getEpochSecond() + offset);
            assertEquals(new Denied(Reason.EXPIRED_TIMESTAMP),
                    signed(signature("new-secret", timestamp, BODY), timestamp, BODY), "offset " + offset);
        }
        for (long offset : new long[] {-300, 300}) {
            String timestamp = Long.toString(NOW.getEpochSecond() + offset);
            assertEquals(new Authenticated(Method.HMAC_SIGNATURE),
                    signed(signature("new-secret", timestamp, BODY), timestamp, BODY), "offset " + offset);
        }
    }

    @Test
    void malformedSignatureHeadersAreDenied() {
        String timestamp = Long.toString(NOW.getEpochSecond());
        String good = signature("new-secret", timestamp, BODY);
        assertEquals(new Denied(Reason.MISSING_TIMESTAMP),
                authenticator.authenticate(post(Map.of("x-signature", good), BODY)));
        assertEquals(new Denied(Reason.MALFORMED_TIMESTAMP), signed(good, "2026-11-29T10:15:00Z", BODY));
        assertEquals(new Denied(Reason.MALFORMED_TIMESTAMP), signed(good, "-1", BODY));
        assertEquals(new Denied(Reason.MALFORMED_TIMESTAMP), signed(good, "99999999999999999999", BODY));
        assertEquals(new Denied(Reason.MALFORMED_SIGNATURE), signed("sha256=zz", timestamp, BODY));
        assertEquals(new Denied(Reason.MALFORMED_SIGNATURE), signed(good.substring(0, good.length() - 2), timestamp, BODY));
        assertEquals(new Denied(Reason.MALFORMED_SIGNATURE), signed("", timestamp, BODY));
    }

    @Test
    void anAuthorizationHeaderDecidesEvenWhenASignatureIsAlsoSent() {
        String timestamp = Long.toString(NOW.getEpochSecond());
        AuthResult result = authenticator.authenticate(post(Map.of("authorization", "Bearer wrong",
                "x-signature", signature("new-secret", timestamp, BODY), "x-timestamp", timestamp), BODY));
        assertEquals(new Denied(Reason.INVALID_TOKEN), result);
    }

    @Test
    void noDenialDetailQuotesWhatWasSent() {
        for (Reason reason : Reason.values()) {
            String detail = reason.detail();
            assertEquals(false, detail.contains("new-secret") || detail.contains("wrong"), detail);
        }
    }

    // ---- Secrets Manager source: TTL, rotation, outages ----

    /** Secrets Manager as far as the source uses it: one secret whose value the test changes. */
    private static final class FakeSecretsManager implements SecretsManagerClient {
        final AtomicReference<String> value = new AtomicReference<>();
        final AtomicInteger reads = new AtomicInteger();
        volatile boolean fail;

        @Override
        public GetSecretValueResponse getSecretValue(GetSecretValueRequest request) {
            reads.incrementAndGet();
            if (fail) {
                throw SdkException.builder().message("Secrets Manager unavailable (simulated)").build();
            }
            return GetSecretValueResponse.builder().name(request.secretId()).secretString(value.get()).build();
        }

        @Override
        public String serviceName() {
            return "secretsmanager";
        }

        @Override
        public void close() {
        }
    }

    @Test
    void rotationIsPickedUpOnceTheCacheExpiresAndBothSecretsWorkMeanwhile() {
        FakeSecretsManager secrets = new FakeSecretsManager();
        secrets.value.set("{\"current\":\"first\"}");
        MutableClock clock = new MutableClock(NOW);
        Authenticator auth = new Authenticator(
                new SecretsManagerCredentials("landbot-router/webhook-secret", () -> secrets, clock, Duration.ofMinutes(5)), clock);
        var headers = Map.of("authorization", "Bearer first");
        var second = Map.of("authorization", "Bearer second");

        assertEquals(new Authenticated(Method.BEARER_TOKEN), auth.authenticate(post(headers, BODY)));
        secrets.value.set("{\"current\":\"second\",\"previous\":\"first\"}");
        clock.set(NOW.plus(Duration.ofMinutes(4)));
        assertEquals(new Denied(Reason.INVALID_TOKEN), auth.authenticate(post(second, BODY)), "cached until the TTL ends");
        assertEquals(1, secrets.reads.get());

        clock.set(NOW.plus(Duration.ofMinutes(5)));
        assertEquals(new Authenticated(Method.BEARER_TOKEN), auth.authenticate(post(second, BODY)));
        assertEquals(new Authenticated(Method.BEARER_TOKEN), auth.authenticate(post(headers, BODY)), "the previous secret is valid during the rotation");
        assertEquals(2, secrets.reads.get());

        secrets.value.set("{\"current\":\"second\"}");
        clock.set(NOW.plus(Duration.ofMinutes(11)));
        assertEquals(new Denied(Reason.INVALID_TOKEN), auth.authenticate(post(headers, BODY)), "the old secret ends with the rotation");
        assertEquals(new Authenticated(Method.BEARER_TOKEN), auth.authenticate(post(second, BODY)));
    }

    @Test
    void anOutageKeepsTheSecretsReadBeforeButWithNoneReadItIsUnavailableNotUnauthorized() {
        FakeSecretsManager secrets = new FakeSecretsManager();
        secrets.value.set("plain-secret");
        MutableClock clock = new MutableClock(NOW);
        var source = new SecretsManagerCredentials("s", () -> secrets, clock, Duration.ofMinutes(5));
        assertEquals(List.of("plain-secret"), source.validSecrets());

        secrets.fail = true;
        clock.set(NOW.plus(Duration.ofMinutes(6)));
        assertEquals(List.of("plain-secret"), source.validSecrets());
        assertEquals(List.of("plain-secret"), source.validSecrets());
        assertEquals(2, secrets.reads.get(), "after a failure the next read waits a little");

        var fresh = new SecretsManagerCredentials("s", () -> secrets, clock, Duration.ofMinutes(5));
        var e = assertThrows(CredentialsSource.CredentialsUnavailableException.class, fresh::validSecrets);
        assertEquals(false, e.getMessage().contains("plain-secret"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "{\"previous\":\"x\"}", "{\"current\":\"\"}", "{\"current\":42}", "{not json"})
    void aSecretWithoutACurrentValueIsAConfigurationErrorThatDoesNotQuoteIt(String value) {
        var e = assertThrows(IllegalStateException.class, () -> SecretsManagerCredentials.parse(value));
        assertEquals(false, !value.isBlank() && e.getMessage().contains(value), e.getMessage());
    }
}
