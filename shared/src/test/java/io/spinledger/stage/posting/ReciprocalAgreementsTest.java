package io.spinledger.stage.posting;

import static io.spinledger.stage.posting.RuleBookTest.lines;
import static io.spinledger.stage.posting.RuleBookTest.mapping;
import static io.spinledger.stage.posting.RuleBookTest.play;
import static io.spinledger.stage.posting.RuleBookTest.station;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spinledger.domain.LedgerTransaction;
import io.spinledger.domain.Play;
import io.spinledger.stage.rights.ReciprocalAgreements;
import io.spinledger.stage.rights.ReciprocalAgreements.Agreement;
import io.spinledger.stage.rights.ReciprocalAgreements.Routing;
import io.spinledger.stage.rights.SocietyRegistry;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Who collects a share and what it keeps: local fee, agreement fee, default foreign fee, suspense. */
class ReciprocalAgreementsTest {
    private static final Instant Y2026 = Instant.parse("2026-08-03T07:00:00Z");
    private static final Instant Y2027 = Instant.parse("2027-02-01T07:00:00Z");
    private final ReciprocalAgreements bundled = ReciprocalAgreements.bundled();
    private final RateCard.FeeRule ghana = RuleBook.bundled().forInstant(Y2026).fees();

    @Test
    void bundledAgreementsNameKnownSocieties() {
        SocietyRegistry registry = SocietyRegistry.loadDefault();
        assertThat(bundled.all()).isNotEmpty().allSatisfy(a -> {
            assertThat(registry.byCode(a.localSociety())).as(a.localSociety()).isPresent();
            assertThat(registry.byCode(a.foreignSociety())).as(a.foreignSociety()).isPresent();
            assertThat(a.note()).isNotBlank();
        });
    }

    @Test
    void localMembersPayTheLocalFeeForeignOnesTheAgreementsOrTheDefault() {
        assertThat(ghana.route("285", bundled, Y2026)).extracting(Routing::collectingSociety, Routing::adminFeePercent,
                Routing::basis).containsExactly("285", new BigDecimal("10"), "LOCAL");
        assertThat(ghana.route("052", bundled, Y2026)).extracting(Routing::collectingSociety, Routing::adminFeePercent,
                Routing::basis).containsExactly("285", new BigDecimal("15"), "AGREEMENT");
        // the reduced SAMRO terms start in 2027; before that there is no agreement on file: default, flagged
        assertThat(ghana.route("063", bundled, Y2026)).extracting(Routing::adminFeePercent, Routing::basis)
                .containsExactly(new BigDecimal("15"), "NO_AGREEMENT");
        assertThat(ghana.route("063", bundled, Y2027)).extracting(Routing::adminFeePercent, Routing::basis)
                .containsExactly(new BigDecimal("12.5"), "AGREEMENT");
        assertThat(ghana.route("118", bundled, Y2026).note()).contains("no reciprocal agreement on file");
        assertThat(ghana.route("000", bundled, Y2026)).extracting(Routing::adminFeePercent, Routing::basis)
                .containsExactly(BigDecimal.ZERO, "SUSPENSE");
    }

    @Test
    void anAgreementsOwnFeeReachesTheLedger() {
        ReciprocalAgreements twenty = ReciprocalAgreements.of(List.of(new Agreement("285", "52", new BigDecimal("20"),
                null, null, "test terms")));
        RoyaltyCalculator calc = new RoyaltyCalculator(RuleBook.bundled(), twenty);
        Play play = play("p-mixed", "2026-08-03T07:00:00Z", 200_000, 0.9, mapping("052", "50", "285", "50"), null);

        LedgerTransaction tx = calc.calculate(play, station("A", "Africa/Accra"), Instant.EPOCH).orElseThrow();

        // 450 pesewas: PRS half 225 - 20 % = 180 net; GHAMRO half 225 - 10 % = 202.5; fees 45 + 22.5 = 67.5
        Map<String, Long> l = lines(tx);
        assertThat(l.get("society:052")).isEqualTo(-180L);
        assertThat(l.get("fees:285") + l.get("society:285")).isEqualTo(-270L);
        assertThat(l.values().stream().mapToLong(Long::longValue).sum()).isZero();
        assertThat(tx.entries()).anyMatch(e -> e.account().equals("fees:285") && e.memo().contains("20%"));
    }

    @Test
    void overlappingOrInvalidTermsAreRefused() {
        String json = """
                {"agreements":[
                 {"localSociety":"285","foreignSociety":"052","adminFeePercent":"15","effectiveFrom":"2026-01-01T00:00:00Z"},
                 {"localSociety":"285","foreignSociety":"052","adminFeePercent":"12","effectiveFrom":"2026-06-01T00:00:00Z"}]}""";
        assertThatThrownBy(() -> ReciprocalAgreements.load(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("overlapping");
        assertThatThrownBy(() -> new Agreement("285", "052", new BigDecimal("101"), null, null, ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0..100");
    }
}
