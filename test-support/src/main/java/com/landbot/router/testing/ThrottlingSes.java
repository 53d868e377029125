package com.landbot.router.testing;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.SendEmailRequest;
import software.amazon.awssdk.services.sesv2.model.SendEmailResponse;
import software.amazon.awssdk.services.sesv2.model.TooManyRequestsException;

/**
 * A real SES client that refuses some sends the way SES does above the account's sending rate
 * ({@code TooManyRequestsException}, HTTP 429) and passes the rest on: the one SES fault of the pipeline test
 * and the soak. Which sends are refused is the caller's rule, asked once per send.
 */
public final class ThrottlingSes implements SesV2Client {

    private final SesV2Client real;
    private final BooleanSupplier throttleThisSend;
    private final AtomicInteger throttled = new AtomicInteger();

    public ThrottlingSes(SesV2Client real, BooleanSupplier throttleThisSend) {
        this.real = real;
        this.throttleThisSend = throttleThisSend;
    }

    /** Throttles the first {@code sends} sends, then passes every one on. */
    public static ThrottlingSes first(int sends, SesV2Client real) {
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
            throw TooManyRequestsException.builder().message("Maximum sending rate exceeded.").statusCode(429).build();
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
