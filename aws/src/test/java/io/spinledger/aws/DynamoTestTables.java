package io.spinledger.aws;

import io.spinledger.testing.TestTables;

/**
 * The {@code dynamo} kind of {@link TestTables} ({@code -Dspinledger.test.tables=dynamo}): empty tables on
 * DynamoDB Local through {@link DynamoTableStore}. Found by name from {@link TestTables#start()}, so it only works
 * where this module's test classes are on the class path.
 */
public final class DynamoTestTables {
    private DynamoTestTables() {
    }

    /** Starts DynamoDB Local, provisions the tables and returns them with the emulators to close. */
    public static TestTables start() {
        DynamoTestSupport env = DynamoTestSupport.start();
        return new TestTables(new DynamoTableStore(env.dynamo()), env);
    }
}
