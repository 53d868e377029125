package com.landbot.router.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class QueuedMessageTest {

    @Test
    void roundTripsThroughTheSqsBody() {
        QueuedMessage message = new QueuedMessage("6f1c2b8e-5d4a-4c3b-9a2e-1f0e9d8c7b6a", "sales", "slack");
        assertEquals("{\"id\":\"6f1c2b8e-5d4a-4c3b-9a2e-1f0e9d8c7b6a\",\"topic\":\"sales\",\"channel\":\"slack\"}", message.toJson());
        assertEquals(message, QueuedMessage.fromJson(message.toJson()));
    }

    @Test
    void unreadableBodiesAreReportedAsIllegalArguments() {
        assertThrows(IllegalArgumentException.class, () -> QueuedMessage.fromJson("this is not json"));
        assertThrows(IllegalArgumentException.class, () -> QueuedMessage.fromJson("{\"topic\":\"sales\"}"));
        assertThrows(IllegalArgumentException.class, () -> QueuedMessage.fromJson("null"));
        assertThrows(IllegalArgumentException.class, () -> QueuedMessage.fromJson("{\"id\":\"a\",\"id\":\"b\",\"topic\":\"sales\",\"channel\":\"slack\"}"));
    }
}
