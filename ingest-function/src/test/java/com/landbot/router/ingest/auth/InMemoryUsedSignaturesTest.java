package com.landbot.router.ingest.auth;

class InMemoryUsedSignaturesTest extends UsedSignaturesContract {

    @Override
    UsedSignatures usedSignatures() {
        return new InMemoryUsedSignatures();
    }
}
