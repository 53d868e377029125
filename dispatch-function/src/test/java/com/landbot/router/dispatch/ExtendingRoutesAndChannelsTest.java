package com.landbot.router.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.landbot.router.shared.Channel;
import com.landbot.router.shared.ChannelRegistry;
import com.landbot.router.shared.DeliveryReceipt;
import com.landbot.router.shared.Message;
import com.landbot.router.shared.MessageStatus;
import com.landbot.router.shared.QueuedMessage;
import com.landbot.router.shared.RoutingTable;
import com.landbot.router.testing.InMemoryMessageRepository;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How the system grows: a new topic is a change of the ROUTES setting; a new channel is one class implementing
 * {@link Channel} plus one registry entry. Nothing else changes.
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
        public DeliveryReceipt deliver(Message message) {
            posted.add(message.topic() + ": " + message.description());
            return DeliveryReceipt.withoutId();
        }
    }

    @Test
    void aNewTopicOnANewChannelIsOneRouteAndOneClass() {
        RoutingTable routing = RoutingTable.fromEnvironment(Map.of("ROUTES", "sales=slack,pricing=email,support=teams"));
        TeamsChannel teams = new TeamsChannel();
        ChannelRegistry registry = ChannelRegistry.of(List.of(new FakeChannel("slack"), new FakeChannel("email"), teams))
                .requireRoutesCovered(routing);
        InMemoryMessageRepository repository = new InMemoryMessageRepository();
        DispatchService service = new DispatchService(repository, registry, new DispatchServiceTest.RecordingQueue(),
                RetryPolicy.of(5), Pacer.unpaced(), Clock.systemUTC(), d -> { });

        String channel = routing.channelFor("Support").orElseThrow();
        Message message = Message.pending("m1", "support", channel, "The bot stopped answering", Instant.now());
        repository.put(message);
        List<String> failures = service.dispatch(List.of(new Delivery("sqs-1", "r-1", QueuedMessage.of(message).toJson(), 1)),
                Instant.now().plusSeconds(30));

        assertEquals(List.of(), failures);
        assertEquals(List.of("support: The bot stopped answering"), teams.posted);
        assertEquals(MessageStatus.SENT, repository.find("m1").orElseThrow().status());
    }

    @Test
    void aRouteToAChannelNobodyRegisteredStopsTheContainerFromStarting() {
        RoutingTable routing = RoutingTable.parse("sales=slack,support=teams");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ChannelRegistry.of(List.of(new FakeChannel("slack"))).requireRoutesCovered(routing));
        assertTrue(e.getMessage().contains("[teams]"), e.getMessage());
    }
}
