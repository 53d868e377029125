package com.landbot.router.emulators;

import com.landbot.router.shared.MessageRepository;

/** The unit tests' messages table passes the table's contract. */
class InMemoryMessageRepositoryTest extends MessageRepositoryContract {

    @Override
    MessageRepository repository() {
        return new InMemoryMessageRepository();
    }
}
