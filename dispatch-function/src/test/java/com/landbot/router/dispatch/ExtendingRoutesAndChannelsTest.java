package com.landbot.router.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.landbot.router.shared.AwsClients;
import com.landbot.router.shared.Channel;
import com.landbot.router.shared.ChannelRegistry;
import com.landbot.router.shared.ChannelTargets;
import com.landbot.router.shared.EmailTarget;
import com.landbot.router.shared.InvalidTarget;
import com.landbot.router.shared.Message;
import com.landbot.router.shared.MessageStatus;
import com.landbot.router.shared.Metrics;
import com.landbot.router.shared.QueuedMessage;
import com.landbot.router.shared.Route;
import com.landbot.router.shared.RoutingTable;
import com.landbot.router.shared.Target;
import com.landbot.router.emulators.InMemoryMessageRepository;
import com.landbot.router.emulators.InMemoryRouteStore;
import com.landbot.router.emulators.TemplateDefinitions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * How the system grows. A new topic is a row of the topics table ({@code PUT /topics/{name}}), no deploy. A new
 * channel is four pieces, and this test fails until all four are there:
 * <ol>
 *   <li>its target: a record implementing {@link Target} (added to its {@code permits}) with a {@code CHANNEL}
 *       name, checking itself and naming its {@link com.landbot.router.shared.Destination};</li>
 *   <li>its entry in {@link ChannelTargets#standard}, so {@code PUT /topics} and the table reads know it;</li>
 *   <li>its class implementing {@link Channel} for that target, listed in {@link DispatchWiring#channels};</li>
 *   <li>its IAM statement in template.yaml: the action it needs, listed in {@link #IAM_ACTION_BY_CHANNEL}.</li>
 * </ol>
 */
class ExtendingRoutesAndChannelsTest {

    private static final Map<String, String> ENV = Map.of("AWS_REGION", "eu-west-1", "AWS_ACCESS_KEY_ID", "test",
            "AWS_SECRET_ACCESS_KEY", "test", "SENDER_ADDRESS", "router@example.com");
    private final ChannelTargets targets = ChannelTargets.fromEnvironment(ENV);

    /** The one IAM action each channel cannot deliver without (the dispatcher's statement in template.yaml). */
    static final Map<String, String> IAM_ACTION_BY_CHANNEL = Map.of(
            "slack", "secretsmanager:GetSecretValue",
            "email", "ses:SendEmail");

    @Test
    void aNewTopicIsOneRowAndItsMessagesGoWhereItsTargetSays() {
        Target target = targets.read("email", Map.of("recipients", List.of("support@example.com")));
        InMemoryRouteStore routes = InMemoryRouteStore.defaults();
        routes.put(new Route("support", target));
        FakeChannel email = new FakeChannel("email");
        InMemoryMessageRepository repository = new InMemoryMessageRepository();
        DispatchService service = new DispatchService(repository, () -> RoutingTable.of(routes.all()),
                ChannelRegistry.of(List.of(new FakeChannel("slack"), email)).requireAll(targets.names()),
                new DispatchServiceTest.RecordingQueue(), RetryPolicy.of(5, 100), Pacer.unpaced(), DispatchServiceTest.PACING, Clock.systemUTC(), d -> { },
                new Metrics("dispatch", Clock.systemUTC(), line -> { }));

        Message message = Message.pending("m1", "support", "email", "The bot stopped answering", Instant.now());
        repository.put(message);
        List<String> failures = service.dispatch(List.of(new Delivery("sqs-1", "r-1", QueuedMessage.of(message).toJson(), 1)),
                Instant.now().plusSeconds(30));

        assertEquals(List.of(), failures);
        assertEquals(List.of(new EmailTarget(List.of("support@example.com"))), email.targets);
        assertEquals(MessageStatus.SENT, repository.find("m1").orElseThrow().status());
    }

    @Test
    void everyTargetTypeHasItsEntryItsChannelAndItsIamStatement() throws ReflectiveOperationException {
        Map<String, Class<?>> targetTypeByChannel = new TreeMap<>();
        for (Class<?> type : Target.class.getPermittedSubclasses()) {
            if (type != InvalidTarget.class) {
                targetTypeByChannel.put((String) type.getField("CHANNEL").get(null), type);
            }
        }
        assertEquals(targetTypeByChannel.keySet(), targets.names(), "1 and 2: each target type has its entry in ChannelTargets");

        Map<String, Class<?>> deliveredTypeByChannel = new TreeMap<>();
        for (Channel<?> channel : DispatchWiring.channels(ENV, new AwsClients(ENV))) {
            deliveredTypeByChannel.put(channel.name(), channel.targetType());
        }
        assertEquals(targetTypeByChannel, deliveredTypeByChannel, "3: the dispatcher has a channel for each, taking its target type");

        assertEquals(targets.names(), IAM_ACTION_BY_CHANNEL.keySet(), "4: each channel names the IAM action it needs");
        // The dispatcher's statements are in its own role (DispatchRole), not the function's Policies.
        Set<String> allowed = allowedActions(TemplateDefinitions.template().path("Resources").path("DispatchRole"));
        IAM_ACTION_BY_CHANNEL.forEach((channel, action) ->
                assertTrue(allowed.contains(action), "4: template.yaml lets the dispatcher " + action + " for " + channel));
    }

    @Test
    void aChannelRoutesMayNameThatNobodyRegisteredStopsTheContainerFromStarting() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ChannelRegistry.of(List.of(new FakeChannel("slack"))).requireAll(targets.names()));
        assertTrue(e.getMessage().contains("[email]"), e.getMessage());
    }

    @Test
    void aRouteNamingAChannelNobodyBuiltIsRefusedWithTheKnownOnes() {
        InvalidTarget teams = assertInstanceOf(InvalidTarget.class, targets.read("teams", Map.of("team", "customer-care")));
        assertEquals(List.of("channel: 'teams' is not a known channel; known channels are: email, slack"), teams.problems());
    }

    /** Every action an Allow statement under this node grants (the function's policies, wherever SAM takes them). */
    private static Set<String> allowedActions(JsonNode node) {
        Set<String> actions = new TreeSet<>();
        List<JsonNode> pending = new ArrayList<>(List.of(node));
        while (!pending.isEmpty()) {
            JsonNode current = pending.remove(pending.size() - 1);
            if ("Allow".equals(current.path("Effect").asText()) && current.has("Action")) {
                JsonNode action = current.get("Action");
                if (action.isArray()) {
                    action.forEach(a -> actions.add(a.asText()));
                } else {
                    actions.add(action.asText());
                }
            }
            current.forEach(pending::add);
        }
        return actions;
    }
}
