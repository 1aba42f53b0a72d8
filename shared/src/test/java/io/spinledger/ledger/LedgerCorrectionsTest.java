package io.spinledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spinledger.domain.Detection;
import io.spinledger.domain.LedgerTransaction;
import io.spinledger.domain.Play;
import io.spinledger.domain.ProMapping;
import io.spinledger.domain.SocietyShare;
import io.spinledger.domain.Station;
import io.spinledger.ports.ManualClock;
import io.spinledger.stage.plays.PlayAssembler;
import io.spinledger.stage.plays.PlayStore;
import io.spinledger.stage.posting.RateCard;
import io.spinledger.stage.posting.RoyaltyCalculator;
import io.spinledger.stage.posting.RoyaltyPoster;
import io.spinledger.stage.posting.RuleBook;
import io.spinledger.testing.TestTables;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Reversals, re-rating, disputes, audit and statements on the test tables ({@link TestTables}). */
class LedgerCorrectionsTest {
    private static final Instant T0 = Instant.parse("2026-08-03T07:00:00Z"); // prime time in Accra
    private static final Station JOY = new Station("joy", "Joy FM", null, "GH", "A", "GHS", "Africa/Accra", T0);
    private static final RuleBook BOOK = RuleBook.bundled();
    private static TestTables env;
    private static Ledger ledger;
    private static Disputes disputes;
    private static Statements statements;
    private static RoyaltyPoster poster;

    @BeforeAll
    static void start() {
        env = TestTables.start();
        ledger = env.ledger();
        disputes = new Disputes(ledger);
        statements = new Statements(ledger);
        PlayStore plays = env.playStore(new PlayAssembler(25_000, 5_000), 30_000, 60_000,
                new ManualClock(T0));
        poster = new RoyaltyPoster(plays, ledger, new RoyaltyCalculator(BOOK));
    }

    @AfterAll
    static void stop() {
        env.close();
    }

    private static LedgerTransaction postPlay(String playId) {
        Play play = play(playId);
        LedgerTransaction tx = new RoyaltyCalculator(BOOK).calculate(play, JOY, T0.plusSeconds(600)).orElseThrow();
        assertThat(ledger.post(tx).status()).isEqualTo(Ledger.PostStatus.POSTED);
        return tx;
    }

    @Test
    void aDisputeHoldsThePostingAndReleasingItRestoresEveryBalance() {
        LedgerTransaction posting = postPlay("p-dispute-release");
        Map<String, Long> before = balances();

        Disputes.Dispute d = disputes.open("p-dispute-release", "the station says this was a live cover", "kwame",
                T0.plusSeconds(3_600));

        assertThat(d.heldMinor()).isEqualTo(450);
        Map<String, Long> held = balances();
        assertThat(held.get("society:285") - before.get("society:285")).isEqualTo(405);
        assertThat(held.get("held:society:285")).isEqualTo(-405);
        assertThat(held.get("held:fees:285")).isEqualTo(-45);
        assertThat(held.get("station:joy")).isEqualTo(before.get("station:joy"));
        assertThatThrownBy(() -> disputes.open("p-dispute-release", "again", "kwame", T0.plusSeconds(3_700)))
                .isInstanceOf(Disputes.DisputeStateException.class);
        assertThatThrownBy(() -> ledger.reverse(posting.idempotencyKey(), "ops", "no", T0.plusSeconds(3_800)))
                .isInstanceOf(Ledger.ConflictException.class);

        Disputes.Dispute released = disputes.resolve("p-dispute-release", d.disputeId(), Disputes.Outcome.RELEASE,
                "air-check confirms the original recording", "ama", T0.plusSeconds(7_200));
        Disputes.Dispute again = disputes.resolve("p-dispute-release", d.disputeId(), Disputes.Outcome.RELEASE,
                "redelivered", "ama", T0.plusSeconds(7_300));

        assertThat(released.status()).isEqualTo(Disputes.Status.RELEASED);
        assertThat(again).isEqualTo(released);
        Map<String, Long> after = balances();
        assertThat(after.get("society:285")).isEqualTo(before.get("society:285"));
        assertThat(after.get("held:society:285")).isZero();
        assertThat(ledger.activePostings("p-dispute-release")).containsExactly(posting);
        assertThat(ledger.audit("p-dispute-release")).extracting(AuditEvent::action, AuditEvent::actor)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("POSTED", "system:royalty-posting"),
                        org.assertj.core.groups.Tuple.tuple("DISPUTE_OPENED", "kwame"),
                        org.assertj.core.groups.Tuple.tuple("DISPUTE_RELEASED", "ama"));
        assertThat(ledger.audit("p-dispute-release").get(1).reason()).isEqualTo("the station says this was a live cover");
        assertThat(sumOfAllBalances()).isZero();
    }

    @Test
    void anUpheldDisputeReversesThePostingFromTheHeldAccounts() {
        postPlay("p-dispute-reverse");
        Map<String, Long> before = balances();
        Disputes.Dispute d = disputes.open("p-dispute-reverse", "not our song: a jingle", "kwame", T0.plusSeconds(3_600));

        disputes.resolve("p-dispute-reverse", d.disputeId(), Disputes.Outcome.REVERSE, "confirmed false positive",
                "ama", T0.plusSeconds(7_200));

        Map<String, Long> after = balances();
        assertThat(after.get("station:joy")).isEqualTo(before.get("station:joy") - 450);
        assertThat(after.get("society:285")).isEqualTo(before.get("society:285") + 405);
        assertThat(after.get("held:society:285")).isZero();
        assertThat(ledger.activePostings("p-dispute-reverse")).isEmpty();
        // the play's own transactions net to zero on every account
        Map<String, Long> net = ledger.transactionsOfPlay("p-dispute-reverse").stream()
                .flatMap(t -> t.entries().stream())
                .collect(Collectors.groupingBy(e -> e.account(), Collectors.summingLong(e -> e.amountMinor())));
        assertThat(net.values()).allMatch(v -> v == 0L);
        assertThatThrownBy(() -> disputes.resolve("p-dispute-reverse", d.disputeId(), Disputes.Outcome.RELEASE, "x",
                "ama", T0.plusSeconds(8_000))).isInstanceOf(Disputes.DisputeStateException.class);
        assertThat(sumOfAllBalances()).isZero();
    }

    @Test
    void reRatingUnderANewVersionReversesAndRepostsOnceAndTheAuditSaysWhy() {
        LedgerTransaction old = postPlay("p-rerate");
        RateCard doubled = new RateCard("gh-2026.2-fix", "GHS", Map.of("A", new BigDecimal("0.030")), 30_000, null,
                null, Map.of(), List.of(), Map.of(), null, null, null, 5, "corrected rate");

        RoyaltyPoster.RerateReport first = poster.rerate(List.of(play("p-rerate")), id -> JOY, doubled, "ops",
                "rate card correction", T0.plusSeconds(86_400));
        RoyaltyPoster.RerateReport second = poster.rerate(List.of(play("p-rerate")), id -> JOY, doubled, "ops",
                "rate card correction", T0.plusSeconds(90_000));

        assertThat(first.written()).extracting(LedgerTransaction::idempotencyKey)
                .containsExactly(old.idempotencyKey() + "#REV", "p-rerate#gh-2026.2-fix");
        assertThat(second.written()).isEmpty();
        assertThat(second.unchanged()).containsExactly("p-rerate");
        assertThat(ledger.activePostings("p-rerate")).singleElement()
                .satisfies(t -> assertThat(t.entries().get(0).amountMinor()).isEqualTo(600)); // 200 x 0.030
        assertThat(ledger.audit("p-rerate")).extracting(AuditEvent::action).containsExactly("POSTED", "RERATED");
        assertThat(sumOfAllBalances()).isZero();
    }

    @Test
    void aStatementIsDerivedFromPostingsAndAClosedPeriodRecomputesToTheSameNumbers() {
        Station kasapa = new Station("kasapa", "Kasapa", null, "GH", "B", "GHS", "Africa/Accra", T0);
        Play a = play("p-stmt-a", "kasapa");
        Play b = play("p-stmt-b", "kasapa");
        RoyaltyCalculator calc = new RoyaltyCalculator(BOOK);
        ledger.post(calc.calculate(a, kasapa, T0.plusSeconds(100)).orElseThrow());
        ledger.post(calc.calculate(b, kasapa, T0.plusSeconds(200)).orElseThrow());

        Statements.Statement st = statements.statement("station:kasapa", T0, T0.plusSeconds(150));
        Statements.Statement all = statements.statement("station:kasapa", T0, T0.plusSeconds(86_400));

        // class B prime: 200 x 0.012 x 1.3 = 3.12 GHS each
        assertThat(st.lines()).hasSize(1);
        assertThat(st.totals()).singleElement().satisfies(t -> assertThat(t.closingMinor()).isEqualTo(312));
        assertThat(all.totals()).singleElement().satisfies(t -> {
            assertThat(t.openingMinor()).isZero();
            assertThat(t.closingMinor()).isEqualTo(624);
        });
        assertThat(balances().get("station:kasapa")).isEqualTo(624);
        assertThat(Statements.csv(all)).startsWith("postedAt,account,transactionId").contains("p-stmt-b#gh-2026.2");
        assertThat(poster.recompute(List.of(a, b), id -> kasapa)).isEmpty();
    }

    private static Map<String, Long> balances() {
        return ledger.balances().stream().collect(Collectors.toMap(Ledger.Balance::account,
                Ledger.Balance::amountMinor));
    }

    private static long sumOfAllBalances() {
        return ledger.balances().stream().mapToLong(Ledger.Balance::amountMinor).sum();
    }

    static Play play(String playId) {
        return play(playId, "joy");
    }

    static Play play(String playId, String stationId) {
        ProMapping mapping = new ProMapping(List.of(new SocietyShare("285", "GHAMRO", new BigDecimal("100"), "Writer",
                "composer", "DECLARED", 1.0)), false);
        return new Play(playId, stationId, "trk", "Song", List.of("Artist"), null, T0, T0.plusSeconds(200), 200_000,
                0.9, Detection.Source.LOCAL, true, Play.Status.POSTED, List.of("d-" + playId), List.of("c-" + playId),
                null, mapping, T0);
    }
}
