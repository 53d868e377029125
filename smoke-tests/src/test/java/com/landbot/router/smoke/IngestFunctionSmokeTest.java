package com.landbot.router.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.landbot.router.shared.Json;
import com.landbot.router.shared.QueuedMessage;
import com.landbot.router.emulators.Events;
import com.landbot.router.emulators.RuntimeInterfaceEmulator;
import com.landbot.router.emulators.TemplateDefinitions;
import com.landbot.router.emulators.TestStack;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The IngestFunction artifact from {@code sam build}, run under the Runtime Interface Emulator with the handler
 * string from template.yaml: proves the packaging, the handler name and the event (de)serialisation as Lambda does them.
 */
@Tag("smoke")
class IngestFunctionSmokeTest {

    @Test
    void builtIngestArtifactAcceptsASalesEventAndRejectsAnUnknownTopic() throws Exception {
        try (TestStack stack = TestStack.create();
             RuntimeInterfaceEmulator function = RuntimeInterfaceEmulator.start(
                     RuntimeInterfaceEmulator.samBuild("IngestFunction"),
                     TemplateDefinitions.handler("IngestFunction"),
                     stack.functionEnvironment())) {

            JsonNode accepted = Json.MAPPER.readTree(function.invoke(Events.json("post-sales.json")));
            assertEquals(202, accepted.get("statusCode").asInt(), accepted + "\n" + function.log());
            String id = Json.MAPPER.readTree(accepted.get("body").asText()).get("id").asText();
            assertEquals("/messages/" + id, accepted.get("headers").get("Location").asText());
            assertEquals("QUEUED", stack.repository().find(id).orElseThrow().status().name());
            assertEquals(List.of(new QueuedMessage(id, "sales", "slack")),
                    stack.receiveAll(stack.queueUrl()).stream().map(m -> QueuedMessage.fromJson(m.body())).toList());

            JsonNode rejected = Json.MAPPER.readTree(function.invoke(Events.json("post-unknown-topic.json")));
            assertEquals(400, rejected.get("statusCode").asInt(), rejected.toString());
            assertEquals(1, stack.items().size());
        }
    }
}
