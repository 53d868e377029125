package com.landbot.router.ingest.idempotency;

/** The unit tests' idempotency table passes the table's contract. */
class InMemoryIdempotencyStoreTest extends IdempotencyStoreContract {

    @Override
    IdempotencyStore store() {
        return new InMemoryIdempotencyStore();
    }
}
