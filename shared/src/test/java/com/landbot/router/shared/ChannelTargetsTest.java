package com.landbot.router.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChannelTargetsTest {

    private final ChannelTargets targets = ChannelTargets.standard("landbot-router/slack/");

    private ChannelTargets.Checked check(String channel, Map<String, Object> target) {
        return targets.check(new Route("support", channel, target));
    }

    private static String problems(ChannelTargets.Checked checked) {
        assertNull(checked.route(), "expected a refusal");
        return String.join(" | ", checked.problems());
    }

    @Test
    void emailRecipientsAreTrimmedAndDeduplicated() {
        ChannelTargets.Checked checked = check("email", Map.of("recipients", List.of(" a@example.com ", "b@example.com", "a@example.com")));
        assertEquals(List.of(), checked.problems());
        assertEquals(List.of("a@example.com", "b@example.com"), checked.route().targetStrings("recipients"));
    }

    @Test
    void emailNeedsOneToFiftyAddresses() {
        assertTrue(problems(check("email", Map.of())).contains("target.recipients: is required"));
        assertTrue(problems(check("email", Map.of("recipients", List.of()))).contains("target.recipients: is required"));
        assertTrue(problems(check("email", Map.of("recipients", List.of("Pricing Team")))).contains("'Pricing Team' is not an email address"));
        assertTrue(problems(check("email", Map.of("recipients", List.of("a@b.com,c@d.com")))).contains("is not an email address"));
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            many.add("p" + i + "@example.com");
        }
        assertTrue(problems(check("email", Map.of("recipients", many))).contains("SES accepts at most 50"));
    }

    @Test
    void slackNeedsASecretUnderThePrefixTheDispatcherMayRead() {
        assertEquals(List.of(), check("slack", Map.of("webhookSecretName", "landbot-router/slack/support")).problems());
        assertTrue(problems(check("slack", Map.of())).contains("target.webhookSecretName: is required"));
        assertTrue(problems(check("slack", Map.of("webhookSecretName", "prod/db-password"))).contains("must start with 'landbot-router/slack/'"));
        assertTrue(problems(check("slack", Map.of("webhookSecretName", "landbot-router/slack/"))).contains("must start with"));
    }

    @Test
    void anUnknownChannelOrSettingIsNamedWithWhatIsKnown() {
        assertEquals("channel: 'pigeon' is not a known channel; known channels are: email, slack",
                problems(check("pigeon", Map.of())));
        assertTrue(problems(check("email", Map.of("recipients", List.of("a@example.com"), "cc", "b@example.com")))
                .contains("target.cc: is not a setting of this channel; settings: recipients"));
    }
}
