package com.landbot.router.emulators;

/**
 * The test tier a run is limited to ({@code make unit} sets {@code landbot.test.tier=unit}). The unit tier touches
 * no network and starts no process: the emulators and stand-ins refuse to start in it, so a test that needs one
 * fails at once with the reason instead of quietly making the fast tier slow.
 */
public final class TestTier {

    static final String PROPERTY = "landbot.test.tier";

    private TestTier() {
    }

    /** Throws in the unit tier: {@code what} needs the network and belongs in a tagged *IntegrationTest. */
    static void requireNetworkAllowed(String what) {
        if ("unit".equals(System.getProperty(PROPERTY))) {
            throw new IllegalStateException(what + " started in the unit tier (make unit): a test that needs it is an"
                    + " integration test; name it *IntegrationTest and tag it @Tag(\"integration\")");
        }
    }
}
