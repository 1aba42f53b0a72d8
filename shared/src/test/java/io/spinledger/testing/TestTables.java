package io.spinledger.testing;

import io.spinledger.ledger.Ledger;
import io.spinledger.ports.Contention;
import io.spinledger.ports.InMemoryTableStore;
import io.spinledger.ports.TableStore;
import io.spinledger.stage.plays.PlayAssembler;
import io.spinledger.stage.plays.PlayStore;
import java.time.Clock;

/**
 * The one way the play, ledger and royalty tests get their tables and stores. By default an
 * {@link InMemoryTableStore} (fast); with {@code -Dspinledger.test.tables=dynamo} the same tests run on DynamoDB
 * Local through {@code io.spinledger.aws.DynamoTableStore} (module aws). Start once per test class; close in {@code @AfterAll}.
 *
 * @param store     the tables
 * @param resources what to close afterwards (the emulators), or null
 */
public record TestTables(TableStore store, AutoCloseable resources) implements AutoCloseable {
    /** System property choosing the store: {@code memory} (default) or {@code dynamo}. */
    public static final String PROPERTY = "spinledger.test.tables";

    /** Empty tables of the configured kind. */
    public static TestTables start() {
        String kind = System.getProperty(PROPERTY, "memory");
        return switch (kind) {
            case "memory" -> new TestTables(new InMemoryTableStore(), null);
            case "dynamo" -> dynamo();
            default -> throw new IllegalArgumentException(PROPERTY + " must be memory or dynamo, got " + kind);
        };
    }

    /** The dynamo kind: {@code io.spinledger.aws.DynamoTestTables}, which only the aws module's tests have. */
    private static TestTables dynamo() {
        try {
            return (TestTables) Class.forName("io.spinledger.aws.DynamoTestTables").getMethod("start").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(PROPERTY + "=dynamo needs the aws module's test classes", e);
        }
    }

    /** A ledger on these tables (production contention policy). */
    public Ledger ledger() {
        return new Ledger(store, Contention.standard());
    }

    /**
     * A play store on these tables (production contention policy).
     *
     * @param minPaidDurationMs plays shorter than this are not royalty-eligible, ms
     * @param playCloseAfterMs  an OPEN play closes once not updated for this long, ms
     */
    public PlayStore playStore(PlayAssembler assembler, long minPaidDurationMs, long playCloseAfterMs, Clock clock) {
        return new PlayStore(store, assembler, minPaidDurationMs, playCloseAfterMs, clock, Contention.standard());
    }

    @Override
    public void close() {
        if (resources != null) {
            try {
                resources.close();
            } catch (Exception e) {
                throw new IllegalStateException("could not close the test tables", e);
            }
        }
    }
}
