package com.landbot.router.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Recipients as SES accepts them: SES does not support SMTPUTF8 (RFC 6531), so an address must be 7-bit ASCII;
 * a domain in Unicode must be sent in Punycode, and the local part (before the {@code @}) cannot be encoded at all.
 */
class EmailTargetTest {

    private final ChannelTargets targets = ChannelTargets.standard(SlackTarget.DEFAULT_SECRET_PREFIX);

    private Target read(String... addresses) {
        return targets.read("email", Map.of("recipients", List.of(addresses)));
    }

    private List<String> problems(String address) {
        return assertInstanceOf(InvalidTarget.class, read(address), address + " should be refused").problems();
    }

    @Test
    void aLocalPartOutsideAsciiIsRefusedSayingWhy() {
        assertEquals(List.of("target.recipients: 'a\u200b@example.com' has U+200B before the @; SES takes only ASCII there (no SMTPUTF8)"),
                problems("a\u200b@example.com"));
        assertEquals(List.of("target.recipients: '\u00e9@example.com' has U+00E9 before the @; SES takes only ASCII there (no SMTPUTF8)"),
                problems("\u00e9@example.com"));
    }

    @Test
    void anInternationalDomainIsStoredInPunycodeAsSesNeedsIt() {
        assertEquals(new EmailTarget(List.of("user@xn--exmple-cua.com")), read("user@ex\u00e4mple.com"));
        assertEquals(new EmailTarget(List.of("user@xn--exmple-cua.com")), read("user@xn--exmple-cua.com"));
    }

    @Test
    void addressesSesWouldRefuseAreRefusedWithTheRule() {
        assertEquals(List.of("target.recipients: 'a..b@example.com' has an empty part between dots before the @"), problems("a..b@example.com"));
        assertEquals(List.of("target.recipients: '.a@example.com' has an empty part between dots before the @"), problems(".a@example.com"));
        assertEquals(List.of("target.recipients: 'a(b)@example.com' has '(' before the @; allowed: letters, digits and !#$%&'*+-/=?^_`{|}~."),
                problems("a(b)@example.com"));
        assertEquals(List.of("target.recipients: '\"a b\"@example.com' has '\"' before the @; allowed: letters, digits and !#$%&'*+-/=?^_`{|}~."),
                problems("\"a b\"@example.com"));
        assertTrue(problems("a".repeat(65) + "@example.com").get(0).endsWith("' has more than 64 characters before the @"));
        assertTrue(problems("a@" + (("b".repeat(60) + ".").repeat(4)) + "c".repeat(60) + ".com").get(0)
                .endsWith("' is longer than the 254 characters an address may have"));
        assertEquals(List.of("target.recipients: 'a@example..com' has a domain that is not a valid host name"), problems("a@example..com"));
        assertEquals(List.of("target.recipients: 'a@localhost' needs a domain with a dot, like example.com"), problems("a@localhost"));
        assertEquals(List.of("target.recipients: 'a@[192.0.2.1]' needs a domain name, not an address literal"), problems("a@[192.0.2.1]"));
        assertEquals(List.of("target.recipients: 'a@-example.com' has a domain that is not a valid host name"), problems("a@-example.com"));
        assertEquals(List.of("target.recipients: 'a@exa_mple.com' has a domain that is not a valid host name"), problems("a@exa_mple.com"));
        assertEquals(List.of("target.recipients: 'a@b@example.com' is not an email address (one @, text on each side)"), problems("a@b@example.com"));
        assertEquals(List.of("target.recipients: 'Pricing Team' is not an email address (one @, text on each side)"), problems("Pricing Team"));
    }

    @Test
    void ordinaryAddressesPass() {
        assertEquals(new EmailTarget(List.of("pricing-team@example.com", "o'brien+sales@mail.example.co.uk", "x_y.z@sub-domain.example")),
                read("pricing-team@example.com", "o'brien+sales@mail.example.co.uk", "x_y.z@sub-domain.example"));
    }
}
