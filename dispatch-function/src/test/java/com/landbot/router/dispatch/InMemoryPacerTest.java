package com.landbot.router.dispatch;

/** The in-memory pacer the unit tests use keeps the pacing table's contract. */
class InMemoryPacerTest extends PacerContract {

    private final InMemoryPacer shared = new InMemoryPacer();

    @Override
    Pacer pacer() {
        return shared;
    }

    @Override
    Pacer another() {
        return shared;
    }
}
