package com.landbot.router.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.landbot.router.shared.Channel;
import com.landbot.router.shared.ChannelTargets;
import com.landbot.router.shared.Metrics;
import com.landbot.router.shared.Route;
import com.landbot.router.shared.ChannelRegistry;
import com.landbot.router.shared.DeliveryReceipt;
import com.landbot.router.shared.Message;
import com.landbot.router.shared.MessageStatus;
import com.landbot.router.shared.QueuedMessage;
import com.landbot.router.shared.RoutingTable;
import com.landbot.router.testing.InMemoryMessageRepository;
import com.landbot.router.testing.InMemoryRouteStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How the system grows: a new topic is a row of the topics table (PUT /topics/{name}); a new channel is one class
 * implementing {@link Channel}, registered with the dispatcher, plus its target rule in {@link ChannelTargets}.
 */
class ExtendingRoutesAndChannelsTest {

    /** The whole of a new channel, e.g. a Microsoft Teams incoming webhook (here recording instead of posting). */
    static final class TeamsChannel implements Channel {
        final List<String> posted = new ArrayList<>();

        @Override
        public String name() {
            return "teams";
        }

        @Override
        public DeliveryReceipt deliver(Message message, Route route) {
            posted.add(route.targetString("team") + " <- " + message.topic() + ": " + message.description());
            return DeliveryReceipt.withoutId();
        }
    }

    /** Its target rule: the team to post to. */
    static final ChannelTargets.Rule TEAMS_RULE = (target, problems) -> {
        if (!(target.get("team") instanceof String team) || team.isBlank()) {
            problems.add("target.team: is required");
        }
        return target;
    };

    @Test
    void aNewTopicOnANewChannelIsOneRowOneClassAndOneRule() {
        ChannelTargets targets = ChannelTargets.standard(ChannelTargets.DEFAULT_SLACK_SECRET_PREFIX).with("teams", TEAMS_RULE);
        Route support = targets.check(new Route("support", "teams", Map.of("team", "customer-care"))).route();
        InMemoryRouteStore routes = InMemoryRouteStore.defaults();
        routes.put(support);
        TeamsChannel teams = new TeamsChannel();
        ChannelRegistry registry = ChannelRegistry.of(List.of(new FakeChannel("slack"), new FakeChannel("email"), teams))
                .requireAll(targets.names());
        InMemoryMessageRepository repository = new InMemoryMessageRepository();
        DispatchService service = new DispatchService(repository, () -> RoutingTable.of(routes.all()), registry,
                new DispatchServiceTest.RecordingQueue(), RetryPolicy.of(5, 100), Pacer.unpaced(), DispatchServiceTest.PACING, Clock.systemUTC(), d -> { },
                new Metrics("dispatch", Clock.systemUTC(), line -> { }));

        Message message = Message.pending("m1", "support", "teams", "The bot stopped answering", Instant.now());
        repository.put(message);
        List<String> failures = service.dispatch(List.of(new Delivery("sqs-1", "r-1", QueuedMessage.of(message).toJson(), 1)),
                Instant.now().plusSeconds(30));

        assertEquals(List.of(), failures);
        assertEquals(List.of("customer-care <- support: The bot stopped answering"), teams.posted);
        assertEquals(MessageStatus.SENT, repository.find("m1").orElseThrow().status());
    }

    @Test
    void aChannelRoutesMayNameThatNobodyRegisteredStopsTheContainerFromStarting() {
        ChannelTargets targets = ChannelTargets.standard(ChannelTargets.DEFAULT_SLACK_SECRET_PREFIX).with("teams", TEAMS_RULE);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ChannelRegistry.of(List.of(new FakeChannel("slack"), new FakeChannel("email"))).requireAll(targets.names()));
        assertTrue(e.getMessage().contains("[teams]"), e.getMessage());
    }
}
