package com.landbot.router.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.landbot.router.shared.Json;
import com.landbot.router.shared.Message;
import com.landbot.router.shared.MessageStatus;
import com.landbot.router.shared.QueuedMessage;
import com.landbot.router.emulators.Events;
import com.landbot.router.emulators.RuntimeInterfaceEmulator;
import com.landbot.router.emulators.SlackStub;
import com.landbot.router.emulators.TemplateDefinitions;
import com.landbot.router.emulators.TestStack;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The DispatchFunction artifact from {@code sam build} under the Runtime Interface Emulator: an SQS event from
 * events/ (its body pointed at a stored message) is delivered to a Slack stand-in, and a second, unreadable
 * record comes back as the only batch item failure.
 */
@Tag("smoke")
class DispatchFunctionSmokeTest {

    @Test
    void builtDispatchArtifactDeliversASalesRecordAndReportsTheUnreadableOneAlone() throws Exception {
        try (TestStack stack = TestStack.create(); SlackStub slack = SlackStub.start()) {
            Message message = Message.pending(UUID.randomUUID().toString(), "sales", "slack", "Need a demo", Instant.now());
            stack.repository().create(message);
            stack.repository().markQueued(message.id(), Instant.now());

            SQSEvent event = Events.load("sqs-sales.json", SQSEvent.class);
            event.getRecords().get(0).setBody(QueuedMessage.of(message).toJson());
            SQSEvent.SQSMessage unreadable = Events.load("sqs-unreadable.json", SQSEvent.class).getRecords().get(0);
            event.setRecords(List.of(event.getRecords().get(0), unreadable));

            Map<String, String> env = new HashMap<>(stack.functionEnvironment());
            env.put("SLACK_WEBHOOK_URL", slack.webhookUrl());
            env.put("SENDER_ADDRESS", "router@example.com");

            try (RuntimeInterfaceEmulator function = RuntimeInterfaceEmulator.start(
                    RuntimeInterfaceEmulator.samBuild("DispatchFunction"),
                    TemplateDefinitions.handler("DispatchFunction"), env)) {
                JsonNode response = Json.MAPPER.readTree(function.invoke(Events.toJson(event, SQSEvent.class)));

                assertTrue(response.has("batchItemFailures"), response + "\n" + function.log());
                assertEquals(1, response.get("batchItemFailures").size(), response + "\n" + function.log());
                assertEquals(unreadable.getMessageId(), response.get("batchItemFailures").get(0).get("itemIdentifier").asText());
                assertEquals(1, slack.deliveries(), function.log());
                assertEquals(MessageStatus.SENT, stack.repository().find(message.id()).orElseThrow().status());
            }
        }
    }
}
