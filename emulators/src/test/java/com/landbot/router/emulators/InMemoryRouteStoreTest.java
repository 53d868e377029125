package com.landbot.router.emulators;

import com.landbot.router.shared.RouteStore;

/** The unit tests' topics table passes the table's contract. */
class InMemoryRouteStoreTest extends RouteStoreContract {

    @Override
    RouteStore store() {
        return InMemoryRouteStore.defaults();
    }
}
