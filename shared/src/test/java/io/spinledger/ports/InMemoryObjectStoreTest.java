package io.spinledger.ports;

import org.junit.jupiter.api.BeforeEach;

/** The {@link ObjectStoreContract} on {@link InMemoryObjectStore}. */
class InMemoryObjectStoreTest extends ObjectStoreContract {
    private InMemoryObjectStore store;

    @BeforeEach
    void fresh() {
        store = new InMemoryObjectStore();
    }

    @Override
    protected ObjectStore store() {
        return store;
    }
}
