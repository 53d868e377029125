package com.landbot.router.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChannelTargetsTest {

    private final ChannelTargets targets = ChannelTargets.standard("landbot-router/slack/");

    private static String problems(Target target) {
        return String.join(" | ", assertInstanceOf(InvalidTarget.class, target, "expected a refusal").problems());
    }

    @Test
    void emailRecipientsAreTrimmedAndDeduplicated() {
        Target target = targets.read("email", Map.of("recipients", List.of(" a@example.com ", "b@example.com", "a@example.com")));
        assertEquals(new EmailTarget(List.of("a@example.com", "b@example.com")), target);
        assertEquals(Map.of("recipients", List.of("a@example.com", "b@example.com")), target.settings());
    }

    @Test
    void emailNeedsOneToFiftyAddresses() {
        assertTrue(problems(targets.read("email", Map.of())).contains("target.recipients: is required"));
        assertTrue(problems(targets.read("email", Map.of("recipients", List.of()))).contains("target.recipients: is required"));
        assertTrue(problems(targets.read("email", Map.of("recipients", List.of("Pricing Team")))).contains("'Pricing Team' is not an email address"));
        assertTrue(problems(targets.read("email", Map.of("recipients", List.of("a@b.com,c@d.com")))).contains("is not an email address"));
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            many.add("p" + i + "@example.com");
        }
        assertTrue(problems(targets.read("email", Map.of("recipients", many))).contains("SES accepts at most 50"));
    }

    @Test
    void slackNeedsASecretUnderThePrefixTheDispatcherMayRead() {
        assertEquals(new SlackTarget("landbot-router/slack/support"),
                targets.read("slack", Map.of("webhookSecretName", "landbot-router/slack/support")));
        assertTrue(problems(targets.read("slack", Map.of())).contains("target.webhookSecretName: is required"));
        assertTrue(problems(targets.read("slack", Map.of("webhookSecretName", "prod/db-password"))).contains("must start with 'landbot-router/slack/'"));
        assertTrue(problems(targets.read("slack", Map.of("webhookSecretName", "landbot-router/slack/"))).contains("must start with"));
        assertTrue(problems(targets.read("slack", Map.of("webhookSecretName", "landbot-router/slack/a b"))).contains("is not a valid secret name"));
    }

    @Test
    void anUnknownChannelOrSettingIsNamedWithWhatIsKnown() {
        assertEquals("channel: 'pigeon' is not a known channel; known channels are: email, slack",
                problems(targets.read("pigeon", Map.of())));
        assertTrue(problems(targets.read("email", Map.of("recipients", List.of("a@example.com"), "cc", "b@example.com")))
                .contains("target.cc: is not a setting of this channel; settings: recipients"));
    }

    @Test
    void anInvalidTargetKeepsTheSettingsAsGivenForOperatorsToSee() {
        Target invalid = targets.read("email", Map.of("recipients", List.of("Pricing Team")));
        assertEquals("email", invalid.channel());
        assertEquals(Map.of("recipients", List.of("Pricing Team")), invalid.settings());
    }

    @Test
    void aTargetCannotBeBuiltInvalidInCodeEither() {
        assertThrows(IllegalArgumentException.class, () -> new EmailTarget(List.of()));
        assertThrows(IllegalArgumentException.class, () -> new EmailTarget(List.of("a@example.com", "a@example.com")));
        assertThrows(IllegalArgumentException.class, () -> new EmailTarget(List.of("Pricing Team")));
        assertThrows(IllegalArgumentException.class, () -> new SlackTarget(""));
        assertThrows(IllegalArgumentException.class, () -> new SlackTarget(null));
    }

    @Test
    void eachSlackWebhookIsADestinationAndEveryEmailRouteSharesTheSesAccount() {
        assertEquals(new SlackTarget("landbot-router/slack/a").destination(), new SlackTarget("landbot-router/slack/a").destination());
        assertTrue(!new SlackTarget("landbot-router/slack/a").destination().equals(new SlackTarget("landbot-router/slack/b").destination()));
        assertEquals(new EmailTarget(List.of("a@example.com")).destination(), new EmailTarget(List.of("b@example.com")).destination());
    }
}
