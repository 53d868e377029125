package com.landbot.router.dispatch.channels;

import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.AlreadyExistsException;

/**
 * Sender identities for tests. SES (and moto) reject a SendEmail whose sender is not a verified identity; moto
 * treats CreateEmailIdentity as verified at once. It lives here rather than in test-support because only this
 * module has the SES v2 SDK on its classpath.
 */
public final class SesIdentities {

    private SesIdentities() {
    }

    /** Makes {@code address} a sender moto accepts; calling it twice is harmless. */
    public static void verifySender(SesV2Client ses, String address) {
        try {
            ses.createEmailIdentity(request -> request.emailIdentity(address));
        } catch (AlreadyExistsException e) {
            // verified by an earlier test in this JVM: moto's state outlives a test
        }
    }
}
