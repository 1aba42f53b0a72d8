package io.spinledger.ports;

import org.junit.jupiter.api.BeforeEach;

/** The {@link TableStoreContract} on {@link InMemoryTableStore}. */
class InMemoryTableStoreTest extends TableStoreContract {
    private InMemoryTableStore store;

    @BeforeEach
    void fresh() {
        store = new InMemoryTableStore();
    }

    @Override
    protected TableStore store() {
        return store;
    }
}
