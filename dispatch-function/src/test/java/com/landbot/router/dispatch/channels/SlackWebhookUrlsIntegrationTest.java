package com.landbot.router.dispatch.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.landbot.router.emulators.Emulators;
import com.landbot.router.emulators.MutableClock;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

/** SlackWebhookUrls against moto's Secrets Manager, through the real SDK. */
@Tag("integration")
class SlackWebhookUrlsIntegrationTest {

    private static final String URL = "https://hooks.slack.com/services/T000/B000/XXXX";

    private static SecretsManagerClient secretsManager;

    @BeforeAll
    static void connect() {
        secretsManager = Emulators.get().clients().build(SecretsManagerClient.builder(), "SECRETS_MANAGER");
    }

    /** A secret of this test's own, so tests do not see each other's. */
    private static String createSecret(String value) {
        String name = "landbot-router/slack/" + UUID.randomUUID();
        secretsManager.createSecret(request -> request.name(name).secretString(value));
        return name;
    }

    @Test
    void eachSecretIsReadOnceAndKeptForTheTtlThenReadAgain() {
        String name = createSecret(URL + "\n");
        String other = createSecret("https://hooks.slack.com/services/T000/B000/OTHER");
        CountingSecretsManager counting = new CountingSecretsManager(secretsManager);
        AtomicInteger clientsBuilt = new AtomicInteger();
        MutableClock clock = new MutableClock(java.time.Instant.parse("2026-11-29T10:00:00Z"));
        SlackWebhookUrls urls = new SlackWebhookUrls(null, () -> {
            clientsBuilt.incrementAndGet();
            return counting;
        }, clock);

        assertEquals(URL, urls.url(name), "the trailing newline a secret file often leaves is dropped");
        secretsManager.putSecretValue(request -> request.secretId(name).secretString("https://hooks.slack.com/services/T000/B000/ROTATED"));
        assertEquals(URL, urls.url(name));
        assertEquals("https://hooks.slack.com/services/T000/B000/OTHER", urls.url(other));
        assertEquals(2, counting.reads.get(), "one read per secret");

        clock.advance(SlackWebhookUrls.TTL);
        assertEquals("https://hooks.slack.com/services/T000/B000/ROTATED", urls.url(name), "a rotated URL is used after the TTL");
        assertEquals(3, counting.reads.get());
        assertEquals(1, clientsBuilt.get());
    }

    @Test
    void noSecretsManagerClientIsBuiltUntilTheUrlIsFirstNeeded() {
        String name = createSecret(URL);
        AtomicInteger clientsBuilt = new AtomicInteger();
        Supplier<SecretsManagerClient> client = () -> {
            clientsBuilt.incrementAndGet();
            return secretsManager;
        };

        SlackWebhookUrls urls = SlackWebhookUrls.fromEnvironment(Map.of(), client);
        assertEquals(0, clientsBuilt.get());

        assertEquals(URL, urls.url(name));
        assertEquals(1, clientsBuilt.get());
    }

    @Test
    void primingBuildsTheClientAndRehearsesAReadThatNeverReachesSecretsManager() {
        // The secret priming names exists: a read that went through would make the rehearsal throw.
        try {
            secretsManager.createSecret(request -> request.name(SlackWebhookUrls.PRIMING_SECRET).secretString(URL));
        } catch (software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException e) {
            // made by an earlier run against the same moto
        }
        AtomicInteger clientsBuilt = new AtomicInteger();
        SlackWebhookUrls urls = SlackWebhookUrls.fromEnvironment(Map.of(), () -> {
            clientsBuilt.incrementAndGet();
            return secretsManager;
        });

        urls.prime();

        assertEquals(1, clientsBuilt.get(), "the client is in the snapshot");
        assertEquals("SlackWebhookUrls(secrets [])", urls.toString(), "no secret read, none cached");
        String name = createSecret(URL);
        assertEquals(URL, urls.url(name));
    }

    @Test
    void primingWithAUrlInTheEnvironmentBuildsNoClient() {
        SlackWebhookUrls.fromEnvironment(Map.of("SLACK_WEBHOOK_URL", "http://127.0.0.1:9999/services/T000/B000/XXXX"),
                () -> {
                    throw new AssertionError("Secrets Manager must not be used when SLACK_WEBHOOK_URL is set");
                }).prime();
    }

    @Test
    void aUrlInTheEnvironmentIsUsedWithoutAskingSecretsManager() {
        SlackWebhookUrls urls = SlackWebhookUrls.fromEnvironment(
                Map.of("SLACK_WEBHOOK_URL", "http://127.0.0.1:9999/services/T000/B000/XXXX"),
                () -> {
                    throw new AssertionError("Secrets Manager must not be used when SLACK_WEBHOOK_URL is set");
                });

        assertEquals("http://127.0.0.1:9999/services/T000/B000/XXXX", urls.url("landbot-router/slack/sales"));
        assertEquals("http://127.0.0.1:9999/services/T000/B000/XXXX", urls.url("landbot-router/slack/other"));
    }

    @Test
    void aSecretThatCannotBeReadFailsThatDeliveryOnlyAndIsReadOnTheNext() {
        String name = "landbot-router/slack-webhook-url-" + UUID.randomUUID();
        SlackWebhookUrls urls = SlackWebhookUrls.fromEnvironment(Map.of(), () -> secretsManager);

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> urls.url(name));
        assertTrue(e.getMessage().contains(name), e.getMessage());

        secretsManager.createSecret(request -> request.name(name).secretString(URL));
        assertEquals(URL, urls.url(name));
    }

    @Test
    void aSecretThatIsNotAUrlIsRejectedWithoutQuotingIt() {
        String name = createSecret("hooks.slack.com/services/T000/B000/XXXX");
        SlackWebhookUrls urls = SlackWebhookUrls.fromEnvironment(Map.of(), () -> secretsManager);

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> urls.url(name));

        assertFalse(e.getMessage().contains("/services/"), e.getMessage());
        assertFalse(urls.toString().contains("/services/"), urls.toString());
    }

    /** The real client, counting GetSecretValue calls: what "once per container" is measured by. */
    private static final class CountingSecretsManager implements SecretsManagerClient {
        final AtomicInteger reads = new AtomicInteger();
        private final SecretsManagerClient delegate;

        CountingSecretsManager(SecretsManagerClient delegate) {
            this.delegate = delegate;
        }

        @Override
        public GetSecretValueResponse getSecretValue(GetSecretValueRequest request) {
            reads.incrementAndGet();
            return delegate.getSecretValue(request);
        }

        @Override
        public String serviceName() {
            return delegate.serviceName();
        }

        @Override
        public void close() {
            // the shared client outlives this test
        }
    }
}
