package com.landbot.router.dispatch.channels;

import com.landbot.router.shared.Channel;
import com.landbot.router.shared.DeliveryException;
import com.landbot.router.shared.DeliveryReceipt;
import com.landbot.router.shared.EmailTarget;
import com.landbot.router.shared.Lazy;
import com.landbot.router.shared.Message;
import com.landbot.router.shared.Priming;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.ses.model.AccountSendingPausedException;
import software.amazon.awssdk.services.ses.model.Body;
import software.amazon.awssdk.services.ses.model.ConfigurationSetDoesNotExistException;
import software.amazon.awssdk.services.ses.model.ConfigurationSetSendingPausedException;
import software.amazon.awssdk.services.ses.model.Content;
import software.amazon.awssdk.services.ses.model.Destination;
import software.amazon.awssdk.services.ses.model.MailFromDomainNotVerifiedException;
import software.amazon.awssdk.services.ses.model.MessageRejectedException;
import software.amazon.awssdk.services.ses.model.SendEmailRequest;

/**
 * Delivers a message by email through Amazon SES, from one verified sender address to the recipients its topic's
 * route lists ({@link EmailTarget}).
 *
 * <p>The SES v1 API ({@code SendEmail} of the SDK's {@code ses} module): the module the product's design names,
 * and the one every emulator we test on serves (moto, and LocalStack's community edition, which has no SES v2).
 * Its IAM action is the same {@code ses:SendEmail} with the same {@code ses:FromAddress} condition.
 */
public final class EmailChannel implements Channel<EmailTarget> {

    /** Error text recorded on a message is bounded: SES messages are short, but the record must stay small. */
    private static final int MAX_ERROR_LENGTH = 300;

    /** Built on the first email, not at container start: a dispatcher that only posts to Slack never builds it. */
    private final Lazy<SesClient> ses;
    private final String senderAddress;

    /**
     * @param ses           called at most once, on the first email
     * @param senderAddress an address (or an address in a domain) verified in SES; it is also the
     *                      {@code ses:FromAddress} the function's IAM policy allows
     */
    public EmailChannel(Supplier<SesClient> ses, String senderAddress) {
        this.ses = new Lazy<>(Objects.requireNonNull(ses, "ses"));
        this.senderAddress = Objects.requireNonNull(senderAddress, "senderAddress").strip();
        if (this.senderAddress.isEmpty()) {
            throw new IllegalArgumentException("senderAddress is blank");
        }
    }

    /** With a client built already: tests and tools. */
    public EmailChannel(SesClient ses, String senderAddress) {
        this(constant(Objects.requireNonNull(ses, "ses")), senderAddress);
    }

    private static Supplier<SesClient> constant(SesClient ses) {
        return () -> ses;
    }

    @Override
    public String name() {
        return EmailTarget.CHANNEL;
    }

    @Override
    public Class<EmailTarget> targetType() {
        return EmailTarget.class;
    }

    @Override
    public DeliveryReceipt deliver(Message message, EmailTarget target) throws DeliveryException {
        NotificationEmail email = NotificationEmail.compose(message);
        SendEmailRequest request = request(email, target);
        try {
            return new DeliveryReceipt(ses.get().sendEmail(request).messageId());
        } catch (AwsServiceException e) {
            throw classify(e, message, email);
        } catch (SdkClientException e) {
            // No answer from SES (timeout, connection refused, DNS): the email may or may not have gone; retrying
            // risks a duplicate email, which is better than a customer nobody hears about.
            throw new DeliveryException.Retryable(bounded("SES unreachable: " + e.getClass().getSimpleName() + ": "
                    + redact(e.getMessage(), message, email)), e);
        } catch (SdkException e) {
            throw new DeliveryException.Retryable(bounded("SES call failed: " + e.getClass().getSimpleName() + ": "
                    + redact(e.getMessage(), message, email)), e);
        }
    }

    /** The SES client built and a SendEmail rehearsed (composed, marshalled, signed; not sent). */
    @Override
    public void prime() {
        NotificationEmail email = NotificationEmail.compose(Priming.sampleMessage(EmailTarget.CHANNEL, Instant.EPOCH));
        Priming.rehearse(() -> ses.get().sendEmail(request(email, new EmailTarget(List.of(senderAddress)))));
    }

    private SendEmailRequest request(NotificationEmail email, EmailTarget target) {
        return SendEmailRequest.builder()
                .source(senderAddress)
                .destination(Destination.builder().toAddresses(target.recipients()).build())
                .message(software.amazon.awssdk.services.ses.model.Message.builder()
                        .subject(utf8(email.subject()))
                        .body(Body.builder().text(utf8(email.text())).html(utf8(email.html())).build())
                        .build())
                .build();
    }

    private static DeliveryException classify(AwsServiceException e, Message message, NotificationEmail email) {
        String reason = bounded("SES " + describe(e, message, email));
        if (e instanceof MessageRejectedException
                || e instanceof MailFromDomainNotVerifiedException
                || e instanceof AccountSendingPausedException
                || e instanceof ConfigurationSetSendingPausedException
                || e instanceof ConfigurationSetDoesNotExistException) {
            return new DeliveryException.Permanent(reason, e);
        }
        // SES v1 says "Throttling" (HTTP 400) both over the sending rate and over the daily quota. Over the rate is
        // back-pressure: the account is held back and the message's attempt is not spent on it. A spent daily quota
        // lasts hours, so it counts as a failed attempt and ends where an operator sees it.
        if (e.isThrottlingException() && !describe(e, message, email).contains("Daily message quota")) {
            return new DeliveryException.RateLimited(reason, null, e);
        }
        if (e.isThrottlingException() || e.statusCode() >= 500) {
            return new DeliveryException.Retryable(reason, e);
        }
        // Any other 4xx (access denied, invalid parameters) repeats identically until someone changes the
        // configuration, so retries would only delay the message reaching ERROR where an operator sees it.
        return new DeliveryException.Permanent(reason, e);
    }

    /** The SES error code, HTTP status and SES's message: enough to act on, nothing from the customer. */
    private static String describe(AwsServiceException e, Message message, NotificationEmail email) {
        AwsErrorDetails details = e.awsErrorDetails();
        String code = details != null && details.errorCode() != null ? details.errorCode() : e.getClass().getSimpleName();
        String text = details != null && details.errorMessage() != null ? details.errorMessage() : "";
        return code + " (HTTP " + e.statusCode() + ")" + (text.isBlank() ? "" : ": " + redact(text, message, email));
    }

    /**
     * SES may quote what it rejected; an error message is stored and logged, so any echo of the customer's text
     * (the description or the subject built from it) is cut out.
     */
    private static String redact(String text, Message message, NotificationEmail email) {
        if (text == null) {
            return "";
        }
        String redacted = text;
        for (String secret : new String[] {message.description(), email.subject(), NotificationEmail.singleLine(message.description())}) {
            if (!secret.isBlank()) {
                redacted = redacted.replace(secret, "[redacted]");
            }
        }
        return redacted;
    }

    private static String bounded(String text) {
        return NotificationEmail.truncate(text, MAX_ERROR_LENGTH);
    }

    private static Content utf8(String data) {
        return Content.builder().data(data).charset(StandardCharsets.UTF_8.name()).build();
    }
}
