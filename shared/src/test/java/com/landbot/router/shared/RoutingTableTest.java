package com.landbot.router.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RoutingTableTest {

    @Test
    void defaultsRouteSalesToSlackAndPricingToEmail() {
        RoutingTable routing = RoutingTable.defaults();
        assertEquals(Optional.of("slack"), routing.channelFor("sales"));
        assertEquals(Optional.of("email"), routing.channelFor("pricing"));
        assertEquals(List.of("pricing", "sales"), List.copyOf(routing.topics()));
    }

    @Test
    void topicsMatchInAnyCaseAndWithSurroundingSpace() {
        RoutingTable routing = RoutingTable.defaults();
        assertEquals(Optional.of("slack"), routing.channelFor("  SaLeS "));
        assertTrue(routing.channelFor("support").isEmpty());
    }

    @Test
    void aNewTopicIsOneMoreRouteWithItsTarget() {
        RoutingTable routing = RoutingTable.of(List.of(
                new Route("sales", "slack", Map.of("webhookSecretName", "landbot-router/slack/sales")),
                new Route("billing", "email", Map.of("recipients", List.of("billing@example.com")))));
        assertEquals(Optional.of("email"), routing.channelFor("Billing"));
        assertEquals(List.of("billing@example.com"), routing.route("billing").orElseThrow().targetStrings("recipients"));
    }

    @Test
    void malformedOrContradictoryRoutesFailLoudly() {
        assertThrows(IllegalArgumentException.class, () -> RoutingTable.parse("sales"));
        assertThrows(IllegalArgumentException.class, () -> RoutingTable.parse("sales=slack,SALES=email"));
        assertThrows(IllegalArgumentException.class, () -> RoutingTable.parse("=slack"));
        assertThrows(IllegalArgumentException.class, () -> RoutingTable.parse(" , "));
    }
}
