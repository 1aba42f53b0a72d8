package io.spinledger.ports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spinledger.config.TableName;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link TableStore} shares, as DynamoDB defines it: conditions, updates, transactions,
 * query ranges, filters and paging. Subclasses supply an empty store per test; the DynamoDB subclass runs it on
 * DynamoDB Local, which is the reference when the two disagree.
 */
public abstract class TableStoreContract {
    /** T is the table most tests write; T2 a second one for cross-table transactions. */
    protected static final TableName T = TableName.LEDGER;
    protected static final TableName T2 = TableName.PLAYS;

    /** A store whose tables are empty at the start of each test. */
    protected abstract TableStore store();

    private static Item item(String pk, String sk, Object... kv) {
        Item i = Item.of(pk, sk);
        for (int k = 0; k < kv.length; k += 2) {
            i = i.with((String) kv[k], kv[k + 1]);
        }
        return i;
    }

    private Optional<Item> get(String pk, String sk) {
        return store().get(T, pk, sk);
    }

    /** Whether a put of a fresh item on an item stored as {@code stored} succeeds under {@code c}. */
    private boolean holdsOn(Item stored, Condition c) {
        TableStore s = store();
        s.write(Write.delete(T, stored.pk(), stored.sk(), Condition.ALWAYS));
        s.write(Write.put(T, stored));
        try {
            s.write(Write.put(T, stored.with("probe", "written"), c));
        } catch (ConditionFailedException failed) {
            assertThat(get(stored.pk(), stored.sk())).contains(stored);
            return false;
        }
        assertThat(get(stored.pk(), stored.sk()).orElseThrow().str("probe")).isEqualTo("written");
        return true;
    }

    // ---- get / put / delete

    @Test
    void getOfAMissingItemIsEmpty() {
        assertThat(get("p", "s")).isEmpty();
    }

    @Test
    void putThenGetRoundTripsStringsAndNumbers() {
        Item i = item("p#1", "s#1", Item.DOC, "{\"a\":\"é\"}", Item.EXPIRES_AT, 1_800_000_000L,
                "neg", -42L, "big", Long.MAX_VALUE, "small", Long.MIN_VALUE, "text", "12");
        store().write(Write.put(T, i));
        Item back = get("p#1", "s#1").orElseThrow();
        assertThat(back).isEqualTo(i);
        assertThat(back.doc()).isEqualTo("{\"a\":\"é\"}");
        assertThat(back.get("text")).isInstanceOf(String.class);
        assertThat(back.get("big")).isEqualTo(Long.MAX_VALUE);
        assertThat(store().get(T2, "p#1", "s#1")).as("tables are separate").isEmpty();
    }

    @Test
    void putReplacesTheWholeItem() {
        store().write(Write.put(T, item("p", "s", "a", "1", "b", 2L)));
        store().write(Write.put(T, item("p", "s", "c", "3")));
        assertThat(get("p", "s")).contains(item("p", "s", "c", "3"));
    }

    @Test
    void deleteRemovesAndAMissingItemIsFine() {
        store().write(Write.put(T, item("p", "s", "a", "1")));
        store().write(Write.delete(T, "p", "s", Condition.ALWAYS));
        assertThat(get("p", "s")).isEmpty();
        store().write(Write.delete(T, "p", "s", Condition.ALWAYS));
        assertThat(get("p", "s")).isEmpty();
    }

    @Test
    void putIfAbsentWritesOnce() {
        assertThat(store().putIfAbsent(T, item("p", "s", "v", "first"))).isTrue();
        assertThat(store().putIfAbsent(T, item("p", "s", "v", "second"))).isFalse();
        assertThat(get("p", "s").orElseThrow().str("v")).isEqualTo("first");
    }

    // ---- conditions

    @Test
    void itemExistsAndItemAbsentSeeTheStoredItem() {
        assertThatThrownBy(() -> store().write(Write.delete(T, "p", "s", Condition.itemExists())))
                .isInstanceOf(ConditionFailedException.class);
        assertThatThrownBy(() -> store().write(Write.put(T, item("p", "s"), Condition.itemExists())))
                .isInstanceOf(ConditionFailedException.class);
        assertThat(get("p", "s")).isEmpty();
        store().write(Write.put(T, item("p", "s", "a", "1"), Condition.itemAbsent()));
        assertThatThrownBy(() -> store().write(Write.put(T, item("p", "s"), Condition.itemAbsent())))
                .isInstanceOf(ConditionFailedException.class);
        store().write(Write.delete(T, "p", "s", Condition.itemExists()));
        assertThat(get("p", "s")).isEmpty();
    }

    @Test
    void existsAndNotExistsOfAnAttribute() {
        Item stored = item("p", "s", "a", "1");
        assertThat(holdsOn(stored, Condition.exists("a"))).isTrue();
        assertThat(holdsOn(stored, Condition.exists("b"))).isFalse();
        assertThat(holdsOn(stored, Condition.notExists("a"))).isFalse();
        assertThat(holdsOn(stored, Condition.notExists("b"))).isTrue();
    }

    @Test
    void onAnAbsentItemEveryAttributeIsMissing() {
        assertThatThrownBy(() -> store().write(Write.put(T, item("p", "s"), Condition.eq("a", "1"))))
                .isInstanceOf(ConditionFailedException.class);
        assertThatThrownBy(() -> store().write(Write.put(T, item("p", "s"), Condition.lt("n", 5L))))
                .isInstanceOf(ConditionFailedException.class);
        assertThatThrownBy(() -> store().write(Write.put(T, item("p", "s"), Condition.exists("a"))))
                .isInstanceOf(ConditionFailedException.class);
        store().write(Write.put(T, item("p", "s"), Condition.notExists("a")));
        assertThat(get("p", "s")).isPresent();
    }

    @Test
    void equalityOfStringsAndNumbers() {
        Item stored = item("p", "s", "str", "abc", "num", 7L);
        assertThat(holdsOn(stored, Condition.eq("str", "abc"))).isTrue();
        assertThat(holdsOn(stored, Condition.eq("str", "abd"))).isFalse();
        assertThat(holdsOn(stored, Condition.eq("num", 7L))).isTrue();
        assertThat(holdsOn(stored, Condition.eq("num", 7))).as("an int is a number").isTrue();
        assertThat(holdsOn(stored, Condition.eq("num", 8L))).isFalse();
        assertThat(holdsOn(stored, Condition.eq("pk", "p"))).as("key attributes can be compared").isTrue();
    }

    @Test
    void aNumberNeverEqualsOrComparesWithAString() {
        Item stored = item("p", "s", "num", 5L, "str", "5");
        assertThat(holdsOn(stored, Condition.eq("num", "5"))).isFalse();
        assertThat(holdsOn(stored, Condition.eq("str", 5L))).isFalse();
        assertThat(holdsOn(stored, Condition.lt("num", "6"))).isFalse();
        assertThat(holdsOn(stored, Condition.lt("str", 6L))).isFalse();
        assertThat(holdsOn(stored, Condition.beginsWith("num", "5"))).as("begins_with on a number").isFalse();
    }

    @Test
    void comparisonsWithAMissingAttributeAreFalse() {
        Item stored = item("p", "s", "a", "x");
        assertThat(holdsOn(stored, Condition.eq("missing", "x"))).isFalse();
        assertThat(holdsOn(stored, Condition.lt("missing", "zzz"))).isFalse();
        assertThat(holdsOn(stored, Condition.lt("missing", Long.MAX_VALUE))).isFalse();
        assertThat(holdsOn(stored, Condition.beginsWith("missing", "x"))).isFalse();
    }

    @Test
    void lessThanComparesNumbersAsNumbersAndStringsByCharacter() {
        Item stored = item("p", "s", "num", 9L, "neg", -3L, "str", "b9");
        assertThat(holdsOn(stored, Condition.lt("num", 10L))).as("9 < 10 as numbers").isTrue();
        assertThat(holdsOn(stored, Condition.lt("num", 9L))).as("strict").isFalse();
        assertThat(holdsOn(stored, Condition.lt("num", 8L))).isFalse();
        assertThat(holdsOn(stored, Condition.lt("neg", -2L))).isTrue();
        assertThat(holdsOn(stored, Condition.lt("neg", -4L))).isFalse();
        assertThat(holdsOn(stored, Condition.lt("str", "b90"))).as("a prefix sorts first").isTrue();
        assertThat(holdsOn(stored, Condition.lt("str", "c"))).isTrue();
        assertThat(holdsOn(stored, Condition.lt("str", "b10"))).as("by character, not number").isFalse();
        assertThat(holdsOn(stored, Condition.lt("str", "B"))).as("upper case sorts first").isFalse();
    }

    @Test
    void beginsWith() {
        Item stored = item("p", "s", "str", "2026-01-02T03:04:05.000Z#d1");
        assertThat(holdsOn(stored, Condition.beginsWith("str", "2026-01-02"))).isTrue();
        assertThat(holdsOn(stored, Condition.beginsWith("str", "2026-01-02T03:04:05.000Z#d1"))).isTrue();
        assertThat(holdsOn(stored, Condition.beginsWith("str", "2026-01-03"))).isFalse();
        assertThat(holdsOn(stored, Condition.beginsWith("str", "2026-01-02T03:04:05.000Z#d10"))).isFalse();
        assertThat(holdsOn(stored, Condition.beginsWith("sk", "s"))).isTrue();
    }

    @Test
    void andOrAndIn() {
        Item stored = item("p", "s", "state", "OPEN", "n", 3L);
        assertThat(holdsOn(stored, Condition.and(Condition.eq("state", "OPEN"), Condition.lt("n", 4L)))).isTrue();
        assertThat(holdsOn(stored, Condition.and(Condition.eq("state", "OPEN"), Condition.lt("n", 3L)))).isFalse();
        assertThat(holdsOn(stored, Condition.or(Condition.eq("state", "CLOSED"), Condition.lt("n", 4L)))).isTrue();
        assertThat(holdsOn(stored, Condition.or(Condition.eq("state", "CLOSED"), Condition.notExists("n"))))
                .isFalse();
        assertThat(holdsOn(stored, Condition.or(Condition.itemAbsent(), Condition.eq("state", "OPEN")))).isTrue();
        assertThat(holdsOn(stored, Condition.and(Condition.or(Condition.eq("n", 1L), Condition.eq("n", 3L)),
                Condition.or(Condition.notExists("closedAt"), Condition.eq("state", "x"))))).as("nested").isTrue();
        assertThat(holdsOn(stored, Condition.in("state", List.of("PENDING", "OPEN")))).isTrue();
        assertThat(holdsOn(stored, Condition.in("state", List.of("PENDING", "CLOSED")))).isFalse();
        assertThat(holdsOn(stored, Condition.in("state", List.of()))).as("IN () holds for nothing").isFalse();
        assertThat(holdsOn(stored, Condition.and())).as("AND () always holds").isTrue();
        assertThat(holdsOn(stored, Condition.and(Condition.ALWAYS, Condition.eq("n", 4L)))).isFalse();
        assertThat(holdsOn(stored, Condition.or(Condition.ALWAYS, Condition.eq("n", 4L)))).isTrue();
        assertThat(holdsOn(stored, Condition.and(Condition.eq("n", 3L), Condition.eq("n", 3L))))
                .as("one attribute twice").isTrue();
    }

    @Test
    void aConditionalDeleteKeepsTheItemWhenItFails() {
        store().write(Write.put(T, item("p", "s", "v", 2L)));
        assertThatThrownBy(() -> store().write(Write.delete(T, "p", "s", Condition.eq("v", 1L))))
                .isInstanceOf(ConditionFailedException.class);
        assertThat(get("p", "s")).isPresent();
        store().write(Write.delete(T, "p", "s", Condition.eq("v", 2L)));
        assertThat(get("p", "s")).isEmpty();
    }

    // ---- update

    @Test
    void updateCreatesAMissingItemAndReturnsTheNewItem() {
        Item after = store().update(Write.update(T, "acct", "BALANCE").set("currency", "EUR").add("cents", 250)
                .add("postings", 1));
        Item expected = item("acct", "BALANCE", "currency", "EUR", "cents", 250L, "postings", 1L);
        assertThat(after).isEqualTo(expected);
        assertThat(get("acct", "BALANCE")).contains(expected);
    }

    @Test
    void updateSetsAndAddsOnAnExistingItemAndKeepsTheRest() {
        store().write(Write.put(T, item("acct", "BALANCE", Item.DOC, "{}", "cents", 100L, "currency", "USD")));
        Item after = store().update(Write.update(T, "acct", "BALANCE").set("currency", "EUR").set("n", 5L)
                .add("cents", -130).add("fresh", 7));
        assertThat(after).isEqualTo(item("acct", "BALANCE", Item.DOC, "{}", "cents", -30L, "currency", "EUR",
                "n", 5L, "fresh", 7L));
        assertThat(get("acct", "BALANCE")).contains(after);
    }

    @Test
    void updateThroughWriteAndAnEmptyUpdate() {
        store().write(Write.update(T, "p", "s").add("n", 2));
        store().write(Write.update(T, "p", "s").add("n", 3));
        assertThat(get("p", "s").orElseThrow().num("n", 0)).isEqualTo(5);
        assertThat(store().update(Write.update(T, "p", "empty"))).isEqualTo(Item.of("p", "empty"));
        assertThat(get("p", "empty")).contains(Item.of("p", "empty"));
        store().transact(List.of(Write.update(T, "p", "empty2"), Write.update(T, "p", "s").add("n", 1)));
        assertThat(get("p", "empty2")).contains(Item.of("p", "empty2"));
        assertThat(get("p", "s").orElseThrow().num("n", 0)).isEqualTo(6);
    }

    @Test
    void anUpdateNeitherSetsAndAddsOneAttributeNorTouchesTheKey() {
        assertThatThrownBy(() -> Write.update(T, "p", "s").set("n", 1L).add("n", 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Write.update(T, "p", "s").add("n", 1).set("n", 1L))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Write.update(T, "p", "s").set("sk", "t")).isInstanceOf(IllegalArgumentException.class);
        assertThat(get("p", "s")).isEmpty();
    }

    @Test
    void addingToAStringIsRejectedAndWritesNothing() {
        store().write(Write.put(T, item("p", "s", "label", "12")));
        assertThatThrownBy(() -> store().update(Write.update(T, "p", "s").add("label", 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store().transact(List.of(Write.put(T, item("q", "s")),
                Write.update(T, "p", "s").add("label", 1)))).isInstanceOf(IllegalArgumentException.class);
        assertThat(get("p", "s")).contains(item("p", "s", "label", "12"));
        assertThat(get("q", "s")).isEmpty();
    }

    @Test
    void emptyStringsAreValuesLikeAnyOther() {
        Item i = item("p", "s", "empty", "", "full", "x");
        store().write(Write.put(T, i));
        assertThat(get("p", "s")).contains(i);
        assertThat(holdsOn(i, Condition.eq("empty", ""))).isTrue();
        assertThat(holdsOn(i, Condition.lt("empty", "a"))).isTrue();
        assertThat(holdsOn(i, Condition.eq("full", ""))).isFalse();
        assertThat(store().update(Write.update(T, "p", "s").set("full", "")).str("full")).isEmpty();
    }

    @Test
    void aConditionalUpdateThatFailsWritesNothing() {
        assertThatThrownBy(() -> store().update(Write.update(T, "p", "s").set("a", "x").when(Condition.itemExists())))
                .isInstanceOf(ConditionFailedException.class);
        assertThat(get("p", "s")).as("not created").isEmpty();

        store().write(Write.put(T, item("p", "s", "version", 3L, "a", "old")));
        assertThatThrownBy(() -> store().update(Write.update(T, "p", "s").set("a", "new").add("version", 1)
                .when(Condition.eq("version", 2L)))).isInstanceOf(ConditionFailedException.class);
        assertThat(get("p", "s")).contains(item("p", "s", "version", 3L, "a", "old"));

        Item after = store().update(Write.update(T, "p", "s").set("a", "new").add("version", 1)
                .when(Condition.eq("version", 3L)));
        assertThat(after).isEqualTo(item("p", "s", "version", 4L, "a", "new"));
    }

    // ---- transactions

    @Test
    void aTransactionAppliesEveryWrite() {
        store().write(Write.put(T, item("a", "1", "v", "old")));
        store().write(Write.put(T2, item("b", "1")));
        store().transact(List.of(
                Write.put(T, item("a", "1", "v", "new"), Condition.exists("v")),
                Write.delete(T2, "b", "1", Condition.itemExists()),
                Write.update(T, "c", "1").add("n", 4).when(Condition.itemAbsent()),
                Write.put(T2, item("a", "1", "other", "table"))));
        assertThat(get("a", "1").orElseThrow().str("v")).isEqualTo("new");
        assertThat(store().get(T2, "b", "1")).isEmpty();
        assertThat(get("c", "1")).contains(item("c", "1", "n", 4L));
        assertThat(store().get(T2, "a", "1")).contains(item("a", "1", "other", "table"));
    }

    @Test
    void aTransactionWithAFailedConditionWritesNothingAndSaysWhichFailed() {
        store().write(Write.put(T, item("a", "1", "v", 1L)));
        store().write(Write.put(T, item("b", "1", "v", 1L)));
        List<Write> writes = List.of(
                Write.put(T, item("new", "1"), Condition.itemAbsent()),
                Write.update(T, "a", "1").add("v", 1).when(Condition.eq("v", 2L)),
                Write.delete(T, "b", "1", Condition.itemExists()),
                Write.put(T2, item("x", "1"), Condition.itemExists()));
        assertThatThrownBy(() -> store().transact(writes)).isInstanceOfSatisfying(TransactionCancelledException.class,
                e -> {
                    assertThat(e.reasons()).containsExactly(TransactionCancelledException.Reason.NONE,
                            TransactionCancelledException.Reason.CONDITION_FAILED,
                            TransactionCancelledException.Reason.NONE,
                            TransactionCancelledException.Reason.CONDITION_FAILED);
                    assertThat(e.conditionFailed(1)).isTrue();
                    assertThat(e.conditionFailed(0)).isFalse();
                    assertThat(e.retryable()).isTrue();
                });
        assertThat(get("new", "1")).isEmpty();
        assertThat(get("a", "1")).contains(item("a", "1", "v", 1L));
        assertThat(get("b", "1")).isPresent();
        assertThat(store().get(T2, "x", "1")).isEmpty();
    }

    @Test
    void aTransactionHoldsAtMostOneHundredWrites() {
        List<Write> hundred = new ArrayList<>();
        for (int i = 0; i < TableStore.MAX_TRANSACTION_WRITES; i++) {
            hundred.add(Write.put(T, item("p", String.format("%03d", i))));
        }
        List<Write> tooMany = new ArrayList<>(hundred);
        tooMany.add(Write.put(T, item("p", "100")));
        assertThatThrownBy(() -> store().transact(tooMany)).isInstanceOf(IllegalArgumentException.class);
        assertThat(store().queryAll(T, "p", SkRange.all())).isEmpty();
        store().transact(hundred);
        assertThat(store().queryAll(T, "p", SkRange.all())).hasSize(100);
    }

    @Test
    void aTransactionWritesAnItemOnce() {
        assertThatThrownBy(() -> store().transact(List.of(Write.put(T, item("p", "s")),
                Write.update(T, "p", "s").add("n", 1)))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store().transact(List.of(Write.delete(T, "p", "s", Condition.ALWAYS),
                Write.put(T, item("q", "s")), Write.delete(T, "p", "s", Condition.ALWAYS))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(get("q", "s")).isEmpty();
        store().transact(List.of(Write.put(T, item("p", "s")), Write.put(T2, item("p", "s")),
                Write.put(T, item("p", "s2"))));
        assertThat(get("p", "s")).isPresent();
        assertThat(store().get(T2, "p", "s")).isPresent();
    }

    @Test
    void anEmptyTransactionDoesNothing() {
        store().transact(List.of());
        assertThat(store().scanAll(T, Condition.ALWAYS)).isEmpty();
    }

    // ---- queries

    private void fill(String pk, String... sks) {
        for (String sk : sks) {
            store().write(Write.put(T, item(pk, sk, "n", (long) sk.length())));
        }
    }

    private static List<String> sks(List<Item> items) {
        return items.stream().map(Item::sk).toList();
    }

    @Test
    void queryReadsOnePartitionInSortKeyOrder() {
        fill("st", "2026-01-02", "2026-01-01", "2026-01-03", "A", "b");
        fill("other", "2026-01-02");
        fill("st2", "2026-01-02");
        assertThat(sks(store().queryAll(T, "st", SkRange.all())))
                .containsExactly("2026-01-01", "2026-01-02", "2026-01-03", "A", "b");
        assertThat(store().queryAll(T, "none", SkRange.all())).isEmpty();
    }

    @Test
    void betweenIsInclusiveAtBothEnds() {
        fill("st", "a", "b", "b#1", "b#2", "c", "c#1");
        assertThat(sks(store().queryAll(T, "st", SkRange.between("b", "c")))).containsExactly("b", "b#1", "b#2", "c");
        assertThat(sks(store().queryAll(T, "st", SkRange.between("b#1", "b#1")))).containsExactly("b#1");
        assertThat(sks(store().queryAll(T, "st", SkRange.between("b#3", "b#9")))).isEmpty();
        assertThat(sks(store().queryAll(T, "st", SkRange.between("", "b")))).containsExactly("a", "b");
        assertThat(sks(store().queryAll(T, "st", SkRange.between("b#", "b#\uffff")))).containsExactly("b#1", "b#2");
        assertThatThrownBy(() -> store().queryAll(T, "st", SkRange.between("c", "b")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void beginsWithSelectsAPrefix() {
        fill("st", "a", "b", "b#1", "b#2", "ba", "c");
        assertThat(sks(store().queryAll(T, "st", SkRange.beginsWith("b#")))).containsExactly("b#1", "b#2");
        assertThat(sks(store().queryAll(T, "st", SkRange.beginsWith("b")))).containsExactly("b", "b#1", "b#2", "ba");
        assertThat(sks(store().queryAll(T, "st", SkRange.beginsWith("d")))).isEmpty();
        assertThat(sks(store().queryAll(T, "st", SkRange.beginsWith("")))).hasSize(6);
    }

    @Test
    void queryFiltersKeepOnlyMatchingItems() {
        for (int i = 0; i < 6; i++) {
            Item it = item("st", "s" + i, "state", i % 2 == 0 ? "OPEN" : "CLOSED", "n", (long) i);
            store().write(Write.put(T, i == 5 ? Item.of("st", "s5") : it));
        }
        assertThat(sks(store().queryAll(T, "st", SkRange.all(), Condition.eq("state", "OPEN"))))
                .containsExactly("s0", "s2", "s4");
        assertThat(sks(store().queryAll(T, "st", SkRange.all(), Condition.lt("n", 3L)))).containsExactly("s0", "s1", "s2");
        assertThat(sks(store().queryAll(T, "st", SkRange.between("s1", "s4"),
                Condition.and(Condition.eq("state", "CLOSED"), Condition.exists("n"))))).containsExactly("s1", "s3");
        assertThat(sks(store().queryAll(T, "st", SkRange.all(), Condition.notExists("state")))).containsExactly("s5");
        assertThat(sks(store().queryAll(T, "st", SkRange.all(), Condition.eq("n", "1")))).as("type matters").isEmpty();
    }

    @Test
    void aQueryFilterMayNotReadTheKey() {
        fill("st", "a");
        assertThatThrownBy(() -> store().query(T, "st", SkRange.all(), Condition.beginsWith("sk", "a"), null, 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store().query(T, "st", SkRange.all(),
                Condition.or(Condition.eq("n", 1L), Condition.eq("pk", "st")), null, 10))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pageLimitsAreOneToAThousand() {
        assertThatThrownBy(() -> store().query(T, "st", SkRange.all(), Condition.ALWAYS, null, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store().query(T, "st", SkRange.all(), Condition.ALWAYS, null, 1001))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store().scan(T, Condition.ALWAYS, null, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store().scan(T, Condition.ALWAYS, null, 1001))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store().query(T, "st", SkRange.all(), Condition.ALWAYS, null, 1000).items()).isEmpty();
    }

    @Test
    void queryPagesCountItemsReadBeforeTheFilter() {
        for (int i = 0; i < 7; i++) {
            store().write(Write.put(T, item("st", "s" + i, "keep", i == 5 ? "yes" : "no")));
        }
        List<Page> pages = new ArrayList<>();
        Item.Key start = null;
        do {
            Page p = store().query(T, "st", SkRange.all(), Condition.eq("keep", "yes"), start, 2);
            pages.add(p);
            start = p.next().orElse(null);
        } while (start != null && pages.size() < 20);
        assertThat(pages).hasSize(4);
        assertThat(pages.get(0).items()).as("read s0 s1, kept none").isEmpty();
        assertThat(pages.get(0).next()).contains(new Item.Key("st", "s1"));
        assertThat(pages.get(1).items()).isEmpty();
        assertThat(sks(pages.get(2).items())).containsExactly("s5");
        assertThat(pages.get(3).items()).isEmpty();
        assertThat(pages.get(3).next()).isEmpty();
    }

    @Test
    void aPageThatReadsExactlyTheLimitHasANextPage() {
        fill("st", "a", "b", "c", "d");
        Page first = store().query(T, "st", SkRange.all(), Condition.ALWAYS, null, 2);
        assertThat(sks(first.items())).containsExactly("a", "b");
        assertThat(first.next()).contains(new Item.Key("st", "b"));
        Page second = store().query(T, "st", SkRange.all(), Condition.ALWAYS, first.next().orElseThrow(), 2);
        assertThat(sks(second.items())).containsExactly("c", "d");
        assertThat(second.next()).as("limit reached: DynamoDB cannot know the partition ended")
                .contains(new Item.Key("st", "d"));
        Page third = store().query(T, "st", SkRange.all(), Condition.ALWAYS, second.next().orElseThrow(), 2);
        assertThat(third.items()).isEmpty();
        assertThat(third.next()).isEmpty();

        Page all = store().query(T, "st", SkRange.all(), Condition.ALWAYS, null, 5);
        assertThat(all.items()).hasSize(4);
        assertThat(all.next()).isEmpty();
    }

    @Test
    void queryPagingInARangeResumesAfterTheStartKey() {
        fill("st", "a", "b1", "b2", "b3", "b4", "b5", "c");
        List<String> seen = new ArrayList<>();
        Item.Key start = null;
        int pages = 0;
        do {
            Page p = store().query(T, "st", SkRange.beginsWith("b"), Condition.ALWAYS, start, 2);
            seen.addAll(sks(p.items()));
            start = p.next().orElse(null);
            pages++;
        } while (start != null && pages < 20);
        assertThat(seen).containsExactly("b1", "b2", "b3", "b4", "b5");
        assertThat(sks(store().query(T, "st", SkRange.between("b1", "c"), Condition.ALWAYS, new Item.Key("st", "b3"),
                10).items())).containsExactly("b4", "b5", "c");
    }

    // ---- scans

    @Test
    void scanPagesThroughEveryItemOnce() {
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 3; j++) {
                store().write(Write.put(T, item("p" + i, "s" + j, "n", (long) (i * 3 + j))));
            }
        }
        store().write(Write.put(T2, item("elsewhere", "s")));
        Set<Item.Key> seen = new HashSet<>();
        List<Item.Key> order = new ArrayList<>();
        Item.Key start = null;
        int pages = 0;
        do {
            Page p = store().scan(T, Condition.ALWAYS, start, 5);
            assertThat(p.items().size()).isLessThanOrEqualTo(5);
            p.items().forEach(i -> {
                assertThat(seen.add(i.key())).as("seen once: " + i.key()).isTrue();
                order.add(i.key());
            });
            start = p.next().orElse(null);
            pages++;
        } while (start != null && pages < 20);
        assertThat(seen).hasSize(12);
        assertThat(pages).isBetween(3, 4);
        assertThat(store().scanAll(T, Condition.ALWAYS).stream().map(Item::key).toList())
                .as("a scan's order is fixed for the table's content").isEqualTo(order);
    }

    @Test
    void scanFiltersAndPagesMayBeEmpty() {
        for (int i = 0; i < 10; i++) {
            store().write(Write.put(T, item("p" + i, "s", "n", (long) i)));
        }
        List<Item> kept = new ArrayList<>();
        boolean sawEmptyPageWithNext = false;
        Item.Key start = null;
        int pages = 0;
        do {
            Page p = store().scan(T, Condition.lt("n", 1L), start, 1);
            kept.addAll(p.items());
            sawEmptyPageWithNext |= p.items().isEmpty() && p.next().isPresent();
            start = p.next().orElse(null);
            pages++;
        } while (start != null && pages < 50);
        assertThat(kept).containsExactly(item("p0", "s", "n", 0L));
        assertThat(sawEmptyPageWithNext).isTrue();
        assertThat(store().scanAll(T, Condition.beginsWith("pk", "p1"))).containsExactly(item("p1", "s", "n", 1L));
        assertThat(store().scanAll(T, Condition.eq("sk", "s"))).hasSize(10);
        assertThat(store().scanAll(T2, Condition.ALWAYS)).isEmpty();
    }

    @Test
    void attributesWithOddNamesWork() {
        Item i = item("p", "s", "a-b", "1", "with space", 2L, "status", "OPEN", "size", 3L);
        store().write(Write.put(T, i, Condition.and(Condition.notExists("a-b"), Condition.notExists("status"))));
        Item after = store().update(Write.update(T, "p", "s").set("name", "n").add("count", 1)
                .when(Condition.and(Condition.eq("status", "OPEN"), Condition.eq("with space", 2L))));
        assertThat(after.get("name")).isEqualTo("n");
        assertThat(after.get("count")).isEqualTo(1L);
        assertThat(store().queryAll(T, "p", SkRange.all(), Condition.eq("size", 3L))).hasSize(1);
        assertThat(Map.copyOf(after.attributes())).containsEntry("a-b", "1");
    }
}
