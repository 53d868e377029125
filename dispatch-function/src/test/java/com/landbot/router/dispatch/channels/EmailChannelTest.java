package com.landbot.router.dispatch.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.landbot.router.shared.DeliveryException;
import com.landbot.router.shared.DeliveryReceipt;
import com.landbot.router.shared.Message;
import com.landbot.router.shared.EmailTarget;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.ses.model.AccountSendingPausedException;
import software.amazon.awssdk.services.ses.model.Body;
import software.amazon.awssdk.services.ses.model.ConfigurationSetDoesNotExistException;
import software.amazon.awssdk.services.ses.model.ConfigurationSetSendingPausedException;
import software.amazon.awssdk.services.ses.model.MailFromDomainNotVerifiedException;
import software.amazon.awssdk.services.ses.model.MessageRejectedException;
import software.amazon.awssdk.services.ses.model.SendEmailRequest;
import software.amazon.awssdk.services.ses.model.SesException;

/**
 * Two groups, one class: request content read from a fake client, and failure classification (the real SDK
 * against moto is {@link EmailChannelIntegrationTest}). Not {@code @Nested} classes: surefire's
 * {@code -Dtest=Email*} filter silently skips those.
 */
class EmailChannelTest {

    static final Instant CREATED_AT = Instant.parse("2025-03-14T09:26:53Z");
    static final String PRICING_DESCRIPTION = """
            Do you offer discounts for non-profits?
            <script>alert('hi')</script> & "quotes"
            We are 12 volunteers.""";

    /** The pricing topic's target: these addresses. The integration test shares these fixtures. */
    static EmailTarget to(String... addresses) {
        return new EmailTarget(List.of(addresses));
    }

    static final EmailTarget ROUTE = to("team@example.com");

    static Message pricing(String description) {
        return Message.pending(UUID.randomUUID().toString(), "pricing", "email", description, CREATED_AT);
    }

    static String unique(String name) {
        return name + "-" + UUID.randomUUID() + "@example.com";
    }

    // ---- What goes into the SendEmail request, read from a fake client.

    private final FakeSes ses = new FakeSes();
    private final EmailChannel channel = new EmailChannel(ses, "router@example.com");

    @Test
    void textBodyCarriesTopicMessageIdTimeAndTheDescriptionWithItsLineBreaks() throws Exception {
        Message message = pricing("First line.\r\nSecond line.");

        DeliveryReceipt receipt = channel.deliver(message, ROUTE);

        assertEquals("fake-ses-id-1", receipt.deliveryId());
        String text = body().text().data();
        assertTrue(text.contains("Topic: pricing"), text);
        assertTrue(text.contains("Message id: " + message.id()), text);
        assertTrue(text.contains("Received: 2025-03-14T09:26:53Z"), text);
        assertTrue(text.contains("First line.\nSecond line."), text);
        assertEquals("UTF-8", body().text().charset());
    }

    @Test
    void htmlBodyEscapesTheDescriptionAndKeepsItsLineBreaks() throws Exception {
        channel.deliver(pricing("<b>bold</b>\n<img src=x onerror=alert(1)>"), ROUTE);

        String html = body().html().data();
        assertTrue(html.contains("&lt;b&gt;bold&lt;/b&gt;<br>\n&lt;img src=x onerror=alert(1)&gt;"), html);
        assertFalse(html.contains("<img"), html);
    }

    @Test
    void emailGoesFromTheSenderToEveryRecipientOfTheTopic() throws Exception {
        channel.deliver(pricing("How much is it?"), to("a@example.com", "b@example.com"));

        SendEmailRequest request = ses.lastRequest();
        assertEquals("router@example.com", request.source());
        assertEquals(List.of("a@example.com", "b@example.com"), request.destination().toAddresses());
        assertEquals(List.of(), request.destination().ccAddresses());
    }

    @Test
    void subjectIsOneLineWithoutCarriageReturnsOrLineFeedsWhateverTheDescriptionContains() throws Exception {
        channel.deliver(pricing("Hi\r\nBcc: attacker@example.com\rX-Injected: 1\n\u2028\u0085\tend"), ROUTE);

        String subject = subject();
        assertEquals("[landbot] pricing: Hi Bcc: attacker@example.com X-Injected: 1 end", subject);
        assertFalse(subject.matches("(?s).*[\\r\\n\\u0085\\u2028\\u2029].*"), subject);
    }

    @Test
    void subjectOfALongDescriptionIsAnExcerptEndingInAnEllipsis() throws Exception {
        channel.deliver(pricing("Do you offer discounts for teams of more than fifty agents on the yearly plan, and how do invoices work?"), ROUTE);

        assertEquals("[landbot] pricing: Do you offer discounts for teams of more than fifty agents\u2026", subject());
    }

    @Test
    void subjectStaysBoundedForALongTopicAndNeverSplitsAnEmoji() throws Exception {
        Message message = Message.pending("id-1", "x".repeat(150), "email", "\uD83D\uDE00".repeat(200), CREATED_AT);

        channel.deliver(message, ROUTE);
        channel.deliver(pricing("\uD83D\uDE00".repeat(200)), ROUTE);

        String longTopicSubject = ses.requests.get(0).message().subject().data();
        assertEquals(NotificationEmail.SUBJECT_CODE_POINTS, longTopicSubject.codePointCount(0, longTopicSubject.length()));
        assertTrue(longTopicSubject.endsWith("\u2026"), longTopicSubject);
        String emojiSubject = subject();
        assertEquals("[landbot] pricing: " + "\uD83D\uDE00".repeat(NotificationEmail.EXCERPT_CODE_POINTS - 1) + "\u2026", emojiSubject);
    }

    @Test
    void channelIsNamedEmail() {
        assertEquals("email", channel.name());
    }

    private Body body() {
        return ses.lastRequest().message().body();
    }

    private String subject() {
        return ses.lastRequest().message().subject().data();
    }

    // ---- Which SES failures are worth retrying, and what is recorded about them.

    private static final String SECRET_DESCRIPTION = "My card number is 4111 1111 1111 1111, please call me";

    static Stream<Arguments> sesFailures() {
        return Stream.of(
                Arguments.of(service(SesException.builder(), "Throttling", 400, "Maximum sending rate exceeded."), DeliveryException.RateLimited.class),
                Arguments.of(service(SesException.builder(), "Throttling", 400, "Daily message quota exceeded."), DeliveryException.Retryable.class),
                Arguments.of(service(SesException.builder(), "InternalFailure", 500), DeliveryException.Retryable.class),
                Arguments.of(service(SesException.builder(), "ServiceUnavailable", 503), DeliveryException.Retryable.class),
                Arguments.of(SdkClientException.create("Unable to execute HTTP request: Connection refused"), DeliveryException.Retryable.class),
                Arguments.of(ApiCallTimeoutException.create(8000), DeliveryException.Retryable.class),
                Arguments.of(service(MessageRejectedException.builder(), "MessageRejected", 400), DeliveryException.Permanent.class),
                Arguments.of(service(MailFromDomainNotVerifiedException.builder(), "MailFromDomainNotVerifiedException", 400), DeliveryException.Permanent.class),
                Arguments.of(service(AccountSendingPausedException.builder(), "AccountSendingPausedException", 400), DeliveryException.Permanent.class),
                Arguments.of(service(ConfigurationSetSendingPausedException.builder(), "ConfigurationSetSendingPausedException", 400), DeliveryException.Permanent.class),
                Arguments.of(service(ConfigurationSetDoesNotExistException.builder(), "ConfigurationSetDoesNotExist", 400), DeliveryException.Permanent.class),
                Arguments.of(service(SesException.builder(), "InvalidParameterValue", 400), DeliveryException.Permanent.class),
                Arguments.of(service(SesException.builder(), "AccessDeniedException", 403), DeliveryException.Permanent.class));
    }

    @ParameterizedTest(name = "{0} is {1}")
    @MethodSource("sesFailures")
    void eachSesFailureIsClassifiedAndItsRecordNamesTheErrorButNotTheDescription(
            SdkException thrown, Class<? extends DeliveryException> expected) {
        EmailChannel channel = channelFailingWith(thrown);

        DeliveryException failure = assertThrows(DeliveryException.class,
                () -> channel.deliver(pricing(SECRET_DESCRIPTION), ROUTE));

        assertInstanceOf(expected, failure);
        assertEquals(thrown, failure.getCause());
        String code = thrown instanceof AwsServiceException service ? service.awsErrorDetails().errorCode() : thrown.getClass().getSimpleName();
        assertTrue(failure.getMessage().contains(code), failure.getMessage());
        assertFalse(failure.getMessage().contains("4111"), failure.getMessage());
    }

    @Test
    void overTheSendingRateIsBackPressureButASpentDailyQuotaIsAFailedAttempt() {
        DeliveryException rate = assertThrows(DeliveryException.class, () -> channelFailingWith(
                service(SesException.builder(), "Throttling", 400, "Maximum sending rate exceeded.")).deliver(pricing("Hello"), ROUTE));
        DeliveryException quota = assertThrows(DeliveryException.class, () -> channelFailingWith(
                service(SesException.builder(), "Throttling", 400, "Daily message quota exceeded.")).deliver(pricing("Hello"), ROUTE));

        assertInstanceOf(DeliveryException.RateLimited.class, rate);
        assertInstanceOf(DeliveryException.Retryable.class, quota);
        assertFalse(quota instanceof DeliveryException.RateLimited, quota.getMessage());
    }

    @Test
    void serviceErrorRecordCarriesCodeStatusAndSesMessage() {
        EmailChannel channel = channelFailingWith(service(MessageRejectedException.builder(), "MessageRejected", 400));

        DeliveryException failure = assertThrows(DeliveryException.class, () -> channel.deliver(pricing(SECRET_DESCRIPTION), ROUTE));

        assertEquals("SES MessageRejected (HTTP 400): SES said no", failure.getMessage());
    }

    @Test
    void sesErrorThatQuotesTheCustomersTextIsRecordedWithTheQuoteCutOut() {
        Message message = pricing(SECRET_DESCRIPTION);
        String subject = "[landbot] pricing: " + SECRET_DESCRIPTION;
        AwsServiceException quoting = SesException.builder()
                .statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("InvalidParameterValue")
                        .errorMessage("Illegal content in '" + SECRET_DESCRIPTION + "' and in subject '" + subject + "'")
                        .build())
                .build();

        DeliveryException failure = assertThrows(DeliveryException.class, () -> channelFailingWith(quoting).deliver(message, ROUTE));

        assertInstanceOf(DeliveryException.Permanent.class, failure);
        assertFalse(failure.getMessage().contains("4111"), failure.getMessage());
        assertTrue(failure.getMessage().startsWith("SES InvalidParameterValue (HTTP 400): Illegal content in '[redacted]'"), failure.getMessage());
    }

    @Test
    void recordedErrorIsBoundedWhateverSesAnswers() {
        EmailChannel channel = channelFailingWith(service(SesException.builder(), "InvalidParameterValue", 400, "x".repeat(5000)));

        DeliveryException failure = assertThrows(DeliveryException.class, () -> channel.deliver(pricing("Hello"), ROUTE));

        assertTrue(failure.getMessage().length() <= 300, "length " + failure.getMessage().length());
    }

    private static EmailChannel channelFailingWith(SdkException failure) {
        return new EmailChannel(new FakeSes().failingWith(failure), "router@example.com");
    }

    private static AwsServiceException service(AwsServiceException.Builder builder, String code, int status) {
        return service(builder, code, status, "SES said no");
    }

    private static AwsServiceException service(AwsServiceException.Builder builder, String code, int status, String message) {
        return builder.statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build())
                .message(message)
                .build();
    }
}
