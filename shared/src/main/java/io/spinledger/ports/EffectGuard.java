package io.spinledger.ports;

import io.spinledger.config.TableName;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * "Do this once per key" for side effects that cannot be undone or repeated for free (a billed ACRCloud call):
 * a consumer claims the key before the effect, completes it with the effect's result after, or releases it when
 * the effect did not happen (a timeout before any answer). A redelivered message then finds the result and reuses
 * it, or finds the claim still in flight (the process died during the effect) and must not repeat it. Claims live
 * in the {@link TableName#IDEMPOTENCY} table and expire after {@code keep}.
 *
 * <p>At most once, not exactly once: an effect interrupted by a crash is never retried; the caller records why.
 */
public final class EffectGuard {
    private static final String PENDING = "PENDING";
    private static final String DONE = "DONE";

    private final TableStore tables;
    private final Clock clock;
    private final Duration keep;

    /**
     * @param tables the table store
     * @param clock  time source (claim instants, expiry)
     * @param keep   how long claims and results are kept
     */
    public EffectGuard(TableStore tables, Clock clock, Duration keep) {
        this.tables = tables;
        this.clock = clock;
        this.keep = keep;
    }

    /** What a claim found. */
    public sealed interface Claim {
    }

    /** The key was free and is now claimed: run the effect, then {@link #complete} or {@link #release}. */
    public record Claimed() implements Claim {
    }

    /**
     * The effect already ran to the end.
     *
     * @param resultJson the result recorded by {@link #complete}
     */
    public record Done(String resultJson) implements Claim {
    }

    /**
     * A claim exists without a result: the process that made it died during the effect (or is still in it).
     *
     * @param since when it was claimed
     */
    public record InFlight(Instant since) implements Claim {
    }

    /**
     * Claims a key.
     *
     * @param scope what kind of effect (e.g. {@code acrcloud})
     * @param key   the effect's key (e.g. a chunk id)
     */
    public Claim claim(String scope, String key) {
        Instant now = clock.instant();
        Item claim = Item.of(scope, key).with("state", PENDING).with("at", now.toEpochMilli())
                .with(Item.EXPIRES_AT, now.plus(keep).getEpochSecond());
        if (tables.putIfAbsent(TableName.IDEMPOTENCY, claim)) {
            return new Claimed();
        }
        Optional<Item> stored = tables.get(TableName.IDEMPOTENCY, scope, key);
        if (stored.isEmpty()) {
            return claim(scope, key); // released between our put and get
        }
        Item i = stored.get();
        return DONE.equals(i.str("state")) ? new Done(i.doc())
                : new InFlight(Instant.ofEpochMilli(i.num("at", 0)));
    }

    /**
     * Records the effect's result (JSON) for the claimed key.
     *
     * @throws ConditionFailedException when the key is not claimed as pending (nobody should complete twice)
     */
    public void complete(String scope, String key, String resultJson) {
        Instant now = clock.instant();
        tables.write(Write.put(TableName.IDEMPOTENCY, Item.doc(scope, key, resultJson).with("state", DONE)
                        .with("at", now.toEpochMilli()).with(Item.EXPIRES_AT, now.plus(keep).getEpochSecond()),
                Condition.eq("state", PENDING)));
    }

    /** Gives a claimed key back: the effect did not happen and may be tried again. */
    public void release(String scope, String key) {
        tables.write(Write.delete(TableName.IDEMPOTENCY, scope, key, Condition.or(Condition.itemAbsent(),
                Condition.eq("state", PENDING))));
    }
}
