package com.landbot.router.dispatch.channels;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.ses.model.SendEmailRequest;
import software.amazon.awssdk.services.ses.model.SendEmailResponse;

/** An SES client that only knows SendEmail: it records each request, then answers an id or throws what it was told to. */
final class FakeSes implements SesClient {

    final List<SendEmailRequest> requests = new ArrayList<>();
    private SdkException failure;
    private int sent;

    FakeSes failingWith(SdkException failure) {
        this.failure = failure;
        return this;
    }

    SendEmailRequest lastRequest() {
        if (requests.isEmpty()) {
            throw new AssertionError("SendEmail was not called");
        }
        return requests.getLast();
    }

    @Override
    public SendEmailResponse sendEmail(SendEmailRequest request) {
        requests.add(request);
        if (failure != null) {
            throw failure;
        }
        sent++;
        return SendEmailResponse.builder().messageId("fake-ses-id-" + sent).build();
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
    }
}
