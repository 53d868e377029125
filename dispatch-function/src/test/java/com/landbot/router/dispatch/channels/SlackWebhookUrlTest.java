package com.landbot.router.dispatch.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.landbot.router.testing.Emulators;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

/** SlackWebhookUrl against moto's Secrets Manager, through the real SDK. */
class SlackWebhookUrlTest {

    private static final String URL = "https://hooks.slack.com/services/T000/B000/XXXX";

    private static SecretsManagerClient secretsManager;

    @BeforeAll
    static void connect() {
        secretsManager = Emulators.get().clients().build(SecretsManagerClient.builder(), "SECRETS_MANAGER");
    }

    /** A secret of this test's own, so tests do not see each other's. */
    private static String createSecret(String value) {
        String name = "landbot-router/slack-webhook-url-" + UUID.randomUUID();
        secretsManager.createSecret(request -> request.name(name).secretString(value));
        return name;
    }

    @Test
    void theUrlIsReadFromSecretsManagerOnceAndKeptForTheContainer() {
        String name = createSecret(URL + "\n");
        CountingSecretsManager counting = new CountingSecretsManager(secretsManager);
        AtomicInteger clientsBuilt = new AtomicInteger();
        SlackWebhookUrl url = SlackWebhookUrl.fromEnvironment(Map.of("SLACK_WEBHOOK_SECRET_NAME", name), () -> {
            clientsBuilt.incrementAndGet();
            return counting;
        });

        assertEquals(URL, url.get(), "the trailing newline a secret file often leaves is dropped");
        secretsManager.putSecretValue(request -> request.secretId(name).secretString("https://hooks.slack.com/services/T000/B000/ROTATED"));

        assertEquals(URL, url.get());
        assertEquals(URL, url.get());
        assertEquals(1, counting.reads.get());
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

        SlackWebhookUrl url = SlackWebhookUrl.fromEnvironment(Map.of("SLACK_WEBHOOK_SECRET_NAME", name), client);
        assertEquals(0, clientsBuilt.get());

        assertEquals(URL, url.get());
        assertEquals(1, clientsBuilt.get());
    }

    @Test
    void aUrlInTheEnvironmentIsUsedWithoutAskingSecretsManager() {
        SlackWebhookUrl url = SlackWebhookUrl.fromEnvironment(
                Map.of("SLACK_WEBHOOK_URL", "http://127.0.0.1:9999/services/T000/B000/XXXX",
                        "SLACK_WEBHOOK_SECRET_NAME", "landbot-router/slack-webhook-url"),
                () -> {
                    throw new AssertionError("Secrets Manager must not be used when SLACK_WEBHOOK_URL is set");
                });

        assertEquals("http://127.0.0.1:9999/services/T000/B000/XXXX", url.get());
    }

    @Test
    void aSecretThatCannotBeReadFailsThatDeliveryOnlyAndIsReadOnTheNext() {
        String name = "landbot-router/slack-webhook-url-" + UUID.randomUUID();
        SlackWebhookUrl url = SlackWebhookUrl.fromEnvironment(Map.of("SLACK_WEBHOOK_SECRET_NAME", name), () -> secretsManager);

        IllegalStateException e = assertThrows(IllegalStateException.class, url::get);
        assertTrue(e.getMessage().contains(name), e.getMessage());

        secretsManager.createSecret(request -> request.name(name).secretString(URL));
        assertEquals(URL, url.get());
    }

    @Test
    void aSecretThatIsNotAUrlIsRejectedWithoutQuotingIt() {
        String name = createSecret("hooks.slack.com/services/T000/B000/XXXX");
        SlackWebhookUrl url = SlackWebhookUrl.fromEnvironment(Map.of("SLACK_WEBHOOK_SECRET_NAME", name), () -> secretsManager);

        IllegalStateException e = assertThrows(IllegalStateException.class, url::get);

        assertFalse(e.getMessage().contains("/services/"), e.getMessage());
        assertFalse(url.toString().contains("/services/"), url.toString());
    }

    @Test
    void withNeitherSettingTheContainerFailsToStart() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SlackWebhookUrl.fromEnvironment(Map.of(), () -> secretsManager));

        assertTrue(e.getMessage().contains("SLACK_WEBHOOK_SECRET_NAME"), e.getMessage());
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
