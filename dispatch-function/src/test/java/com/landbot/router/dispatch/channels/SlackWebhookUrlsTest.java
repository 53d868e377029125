package com.landbot.router.dispatch.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.landbot.router.emulators.MutableClock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.InternalServiceErrorException;

/** SlackWebhookUrls' failure policy, with a Secrets Manager that fails on command (no network). */
class SlackWebhookUrlsTest {

    private static final String URL = "https://hooks.slack.com/services/T000/B000/XXXX";

    @Test
    void aFailedRefreshKeepsTheUrlReadBeforeAsRoutesAndTheBotsSecretsDo() {
        AtomicBoolean down = new AtomicBoolean();
        AtomicInteger reads = new AtomicInteger();
        SecretsManagerClient secretsManager = new SecretsManagerClient() {
            @Override
            public GetSecretValueResponse getSecretValue(GetSecretValueRequest request) {
                reads.incrementAndGet();
                if (down.get()) {
                    throw InternalServiceErrorException.builder().message("Secrets Manager is down").statusCode(500).build();
                }
                return GetSecretValueResponse.builder().secretString(URL).build();
            }

            @Override
            public String serviceName() {
                return SERVICE_NAME;
            }

            @Override
            public void close() {
            }
        };
        MutableClock clock = new MutableClock(Instant.parse("2026-11-30T10:00:00Z"));
        SlackWebhookUrls urls = new SlackWebhookUrls(null, () -> secretsManager, clock);

        assertEquals(URL, urls.url("landbot-router/slack/sales"));
        down.set(true);
        clock.advance(SlackWebhookUrls.TTL);

        assertEquals(URL, urls.url("landbot-router/slack/sales"), "Slack keeps working through a Secrets Manager outage");
        assertEquals(URL, urls.url("landbot-router/slack/sales"));
        assertEquals(2, reads.get(), "the failed read is tried again after a back-off, not on every message");
    }
}
