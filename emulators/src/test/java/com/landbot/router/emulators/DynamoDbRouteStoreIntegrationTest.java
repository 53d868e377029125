package com.landbot.router.emulators;

import com.landbot.router.shared.RouteStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

/** The topics table as template.yaml defines it, on moto, seeded as a deployment seeds it. */
@Tag("integration")
class DynamoDbRouteStoreIntegrationTest extends RouteStoreContract {

    private TestStack stack;

    @BeforeEach
    void createStack() {
        stack = TestStack.create();
    }

    @AfterEach
    void deleteStack() {
        stack.close();
    }

    @Override
    RouteStore store() {
        return stack.routes();
    }
}
