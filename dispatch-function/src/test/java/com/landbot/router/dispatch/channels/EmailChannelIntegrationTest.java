package com.landbot.router.dispatch.channels;

import static com.landbot.router.dispatch.channels.EmailChannelTest.CREATED_AT;
import static com.landbot.router.dispatch.channels.EmailChannelTest.PRICING_DESCRIPTION;
import static com.landbot.router.dispatch.channels.EmailChannelTest.ROUTE;
import static com.landbot.router.dispatch.channels.EmailChannelTest.pricing;
import static com.landbot.router.dispatch.channels.EmailChannelTest.to;
import static com.landbot.router.dispatch.channels.EmailChannelTest.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.landbot.router.shared.AwsClients;
import com.landbot.router.shared.DeliveryException;
import com.landbot.router.shared.DeliveryReceipt;
import com.landbot.router.shared.Message;
import com.landbot.router.emulators.Emulators;
import com.landbot.router.emulators.SesOutbox;
import com.landbot.router.emulators.SesOutbox.SentEmail;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.ses.SesClient;

/** EmailChannel through the real SDK against moto: what the team's inbox would receive. */
@Tag("integration")
class EmailChannelIntegrationTest {

    private static SesClient moto() {
        return Emulators.get().clients().build(SesClient.builder(), "SES");
    }

    private static SesOutbox outbox() {
        return SesOutbox.ofEmulators();
    }

    @Test
    void primingRehearsesASendThatNoInboxReceivesAndTheChannelDeliversAfter() throws Exception {
        String sender = unique("router");
        String recipient = unique("pricing");
        SesClient moto = moto();
        SesIdentities.verifySender(moto, sender);
        EmailChannel channel = new EmailChannel(moto, sender);

        channel.prime();

        assertEquals(List.of(), outbox().sentTo(sender), "priming's rehearsed send (to the sender) never reached SES");
        channel.deliver(pricing(PRICING_DESCRIPTION), to(recipient));
        assertEquals(1, outbox().sentTo(recipient).size());
    }

    @Test
    void pricingMessageIsEmailedFromTheSenderToTheTopicsRecipientsWithTheSesMessageIdAsReceipt() throws Exception {
        String sender = unique("router");
        String first = unique("pricing-a");
        String second = unique("pricing-b");
        SesClient moto = moto();
        SesIdentities.verifySender(moto, sender);
        Message message = pricing(PRICING_DESCRIPTION);

        DeliveryReceipt receipt = new EmailChannel(moto, sender).deliver(message, to(first, second));

        List<SentEmail> received = outbox().sentTo(first);
        assertEquals(1, received.size(), "emails to " + first + ": " + received);
        SentEmail email = received.getFirst();
        assertEquals(receipt.deliveryId(), email.messageId());
        assertEquals(sender, email.source());
        assertEquals(List.of(first, second), email.to());
        assertEquals("[landbot] pricing: Do you offer discounts for non-profits? <script>alert('hi')\u2026", email.subject());
        // moto keeps the HTML part: the customer's markup arrives as text, the message's facts are there
        assertTrue(email.body().contains("&lt;script&gt;alert(&#39;hi&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;"), email.body());
        assertFalse(email.body().contains("<script>"), email.body());
        assertTrue(email.body().contains(message.id()), email.body());
        assertTrue(email.body().contains("2025-03-14T09:26:53Z"), email.body());
        assertTrue(email.body().contains("non-profits?<br>\n&lt;script&gt;"), "newlines stay line breaks: " + email.body());
    }

    @Test
    void unverifiedSenderIsAPermanentFailureThatNamesTheSesErrorAndSendsNothing() {
        String recipient = unique("pricing");
        // a domain of its own: moto also accepts any sender in a verified domain, and other tests may verify example.com
        String neverVerified = "router@unverified-" + UUID.randomUUID() + ".example.net";
        EmailChannel channel = new EmailChannel(moto(), neverVerified);

        DeliveryException failure = assertThrows(DeliveryException.class, () -> channel.deliver(pricing(PRICING_DESCRIPTION), to(recipient)));

        assertInstanceOf(DeliveryException.Permanent.class, failure);
        assertTrue(failure.getMessage().startsWith("SES MessageRejected (HTTP 400)"), failure.getMessage());
        assertFalse(failure.getMessage().contains("discounts"), failure.getMessage());
        assertEquals(List.of(), outbox().sentTo(recipient));
    }

    @Test
    void sesThatCannotBeReachedIsARetryableFailure() throws Exception {
        Map<String, String> env = Map.of("AWS_REGION", "eu-west-1", "AWS_ENDPOINT_URL_SES", "http://127.0.0.1:" + closedPort());
        SesClient unreachable = new AwsClients(env, StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .build(SesClient.builder(), "SES");
        EmailChannel channel = new EmailChannel(unreachable, "router@example.com");

        DeliveryException failure = assertThrows(DeliveryException.class, () -> channel.deliver(pricing(PRICING_DESCRIPTION), ROUTE));

        assertInstanceOf(DeliveryException.Retryable.class, failure);
        assertTrue(failure.getMessage().startsWith("SES unreachable: "), failure.getMessage());
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
