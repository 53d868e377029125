package com.landbot.router.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AwsClientsTest {

    @Test
    void serviceSpecificEndpointWinsOverTheGeneralOne() {
        AwsClients clients = new AwsClients(Map.of(
                "AWS_REGION", "eu-west-1",
                "AWS_ENDPOINT_URL", "http://127.0.0.1:4566",
                "AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:9324"));
        assertEquals("http://127.0.0.1:9324", clients.endpointFor("SQS"));
        assertEquals("http://127.0.0.1:4566", clients.endpointFor("DYNAMODB"));
    }

    @Test
    void withoutEndpointSettingsTheSdkUsesAwsItself() {
        assertNull(new AwsClients(Map.of("AWS_REGION", "eu-west-1")).endpointFor("DYNAMODB"));
    }

    @Test
    void aMissingRegionFailsAtStartNotOnTheFirstRequest() {
        assertThrows(IllegalStateException.class, () -> new AwsClients(Map.of()));
    }
}
