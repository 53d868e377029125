package com.landbot.router.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RoutingTableTest {

    private static final Route SALES = new Route("sales", new SlackTarget("landbot-router/slack/sales"));
    private static final Route BILLING = new Route("billing", new EmailTarget(List.of("billing@example.com")));

    @Test
    void eachTopicHasItsChannelAndTarget() {
        RoutingTable routing = RoutingTable.of(List.of(SALES, BILLING));
        assertEquals(Optional.of("slack"), routing.channelFor("sales"));
        assertEquals(Optional.of("email"), routing.channelFor("Billing"));
        assertEquals(new EmailTarget(List.of("billing@example.com")), routing.route("billing").orElseThrow().target());
        assertEquals(List.of("billing", "sales"), List.copyOf(routing.topics()));
    }

    @Test
    void topicsMatchInAnyCaseAndWithSurroundingSpace() {
        RoutingTable routing = RoutingTable.of(List.of(SALES, BILLING));
        assertEquals(Optional.of("slack"), routing.channelFor("  SaLeS "));
        assertTrue(routing.channelFor("support").isEmpty());
    }

    @Test
    void aTopicRoutedTwiceFailsLoudly() {
        assertThrows(IllegalArgumentException.class, () -> RoutingTable.of(List.of(SALES, new Route("SALES", BILLING.target()))));
    }
}
