package com.landbot.router.dispatch.channels;

import software.amazon.awssdk.services.ses.SesClient;

/**
 * Sender identities for tests. SES (and moto) reject a SendEmail whose sender is not a verified identity; moto
 * treats CreateEmailIdentity as verified at once. It lives here rather than in emulators because only this
 * module has the SES SDK on its classpath.
 */
public final class SesIdentities {

    private SesIdentities() {
    }

    /** Makes {@code address} a sender the emulator accepts; calling it twice is harmless. */
    public static void verifySender(SesClient ses, String address) {
        ses.verifyEmailIdentity(request -> request.emailAddress(address));
    }
}
