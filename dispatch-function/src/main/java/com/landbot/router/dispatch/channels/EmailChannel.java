package com.landbot.router.dispatch.channels;

import com.landbot.router.shared.Channel;
import com.landbot.router.shared.DeliveryException;
import com.landbot.router.shared.DeliveryReceipt;
import com.landbot.router.shared.EmailTarget;
import com.landbot.router.shared.Message;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.AccountSuspendedException;
import software.amazon.awssdk.services.sesv2.model.BadRequestException;
import software.amazon.awssdk.services.sesv2.model.Body;
import software.amazon.awssdk.services.sesv2.model.Content;
import software.amazon.awssdk.services.sesv2.model.Destination;
import software.amazon.awssdk.services.sesv2.model.EmailContent;
import software.amazon.awssdk.services.sesv2.model.LimitExceededException;
import software.amazon.awssdk.services.sesv2.model.MailFromDomainNotVerifiedException;
import software.amazon.awssdk.services.sesv2.model.MessageRejectedException;
import software.amazon.awssdk.services.sesv2.model.NotFoundException;
import software.amazon.awssdk.services.sesv2.model.SendEmailRequest;
import software.amazon.awssdk.services.sesv2.model.SendingPausedException;
import software.amazon.awssdk.services.sesv2.model.TooManyRequestsException;

/**
 * Delivers a message by email through Amazon SES (v2 {@code SendEmail}, simple content), from one verified
 * sender address to the recipients its topic's route lists ({@link EmailTarget}).
 */
public final class EmailChannel implements Channel<EmailTarget> {

    /** Error text recorded on a message is bounded: SES messages are short, but the record must stay small. */
    private static final int MAX_ERROR_LENGTH = 300;

    private final SesV2Client ses;
    private final String senderAddress;

    /**
     * @param senderAddress an address (or an address in a domain) verified in SES; it is also the
     *                      {@code ses:FromAddress} the function's IAM policy allows
     */
    public EmailChannel(SesV2Client ses, String senderAddress) {
        this.ses = Objects.requireNonNull(ses, "ses");
        this.senderAddress = Objects.requireNonNull(senderAddress, "senderAddress").strip();
        if (this.senderAddress.isEmpty()) {
            throw new IllegalArgumentException("senderAddress is blank");
        }
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
        SendEmailRequest request = SendEmailRequest.builder()
                .fromEmailAddress(senderAddress)
                .destination(Destination.builder().toAddresses(target.recipients()).build())
                .content(EmailContent.builder()
                        .simple(software.amazon.awssdk.services.sesv2.model.Message.builder()
                                .subject(utf8(email.subject()))
                                .body(Body.builder().text(utf8(email.text())).html(utf8(email.html())).build())
                                .build())
                        .build())
                .build();
        try {
            return new DeliveryReceipt(ses.sendEmail(request).messageId());
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

    private static DeliveryException classify(AwsServiceException e, Message message, NotificationEmail email) {
        String reason = bounded("SES " + describe(e, message, email));
        if (e instanceof MessageRejectedException
                || e instanceof MailFromDomainNotVerifiedException
                || e instanceof BadRequestException
                || e instanceof AccountSuspendedException
                || e instanceof SendingPausedException
                || e instanceof NotFoundException) {
            return new DeliveryException.Permanent(reason, e);
        }
        if (e instanceof TooManyRequestsException || e.isThrottlingException()) {
            // Over the account's sending rate: back-pressure, the message's attempt is not spent on it.
            return new DeliveryException.RateLimited(reason, null, e);
        }
        if (e instanceof LimitExceededException || e.statusCode() >= 500) {
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
