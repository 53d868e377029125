package com.landbot.router.emulators;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.ses.model.SendEmailRequest;
import software.amazon.awssdk.services.ses.model.SendEmailResponse;
import software.amazon.awssdk.services.ses.model.SesException;

/**
 * A real SES client that refuses some sends the way SES does above the account's sending rate
 * (error code {@code Throttling}, HTTP 400, as SES v1 answers) and passes the rest on: the one SES fault of the pipeline test
 * and the soak. Which sends are refused is the caller's rule, asked once per send.
 */
public final class ThrottlingSes implements SesClient {

    private final SesClient real;
    private final BooleanSupplier throttleThisSend;
    private final AtomicInteger throttled = new AtomicInteger();

    public ThrottlingSes(SesClient real, BooleanSupplier throttleThisSend) {
        this.real = real;
        this.throttleThisSend = throttleThisSend;
    }

    /** Throttles the first {@code sends} sends, then passes every one on. */
    public static ThrottlingSes first(int sends, SesClient real) {
        AtomicInteger calls = new AtomicInteger();
        return new ThrottlingSes(real, () -> calls.incrementAndGet() <= sends);
    }

    /** How many sends were refused. */
    public int throttled() {
        return throttled.get();
    }

    @Override
    public SendEmailResponse sendEmail(SendEmailRequest request) {
        if (throttleThisSend.getAsBoolean()) {
            throttled.incrementAndGet();
            throw SesException.builder().statusCode(400).awsErrorDetails(AwsErrorDetails.builder()
                    .errorCode("Throttling").errorMessage("Maximum sending rate exceeded.").build()).build();
        }
        return real.sendEmail(request);
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
        real.close();
    }
}
