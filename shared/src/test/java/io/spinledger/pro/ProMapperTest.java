package io.spinledger.pro;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinledger.domain.ProMapping;
import io.spinledger.domain.Recording;
import io.spinledger.domain.SocietyShare;
import io.spinledger.domain.Writer;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProMapperTest {
    private final ProMapper mapper = new ProMapper(SocietyRegistry.loadDefault());

    private static Recording recording(String isrc, Writer... writers) {
        return new Recording(isrc, "Song", List.of("Artist"), null, null, null, null, List.of(writers), Map.of());
    }

    private static BigDecimal total(ProMapping m) {
        return m.shares().stream().map(SocietyShare::sharePercent).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    @Test
    void declaredSocietiesWinWithTheirShares() {
        ProMapping m = mapper.map(recording("GHA011500001",
                new Writer("Kofi", null, "GHAMRO", "composer", new BigDecimal("50")),
                new Writer("Jane", null, "052", "lyricist", new BigDecimal("30")),
                new Writer("Sam", null, "ascap", "composer", new BigDecimal("20"))));

        assertThat(m.inferred()).isFalse();
        assertThat(m.shares()).extracting(SocietyShare::societyName, SocietyShare::sharePercent, SocietyShare::basis)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("GHAMRO", new BigDecimal("50.00"), "DECLARED"),
                        org.assertj.core.groups.Tuple.tuple("PRS", new BigDecimal("30.00"), "DECLARED"),
                        org.assertj.core.groups.Tuple.tuple("ASCAP", new BigDecimal("20.00"), "DECLARED"));
        assertThat(m.shares().get(0).societyCode()).isEqualTo("285");
        assertThat(total(m)).isEqualByComparingTo("100");
    }

    @Test
    void missingSharesSplitEquallyAndTotalsAreExactlyHundred() {
        ProMapper.Result r = mapper.explain(recording("GBAAA9900303",
                new Writer("A", null, "PRS", "composer", null),
                new Writer("B", null, "PRS", "composer", null),
                new Writer("C", null, "PRS", "lyricist", null)));

        assertThat(r.mapping().shares()).extracting(SocietyShare::sharePercent)
                .containsExactly(new BigDecimal("33.34"), new BigDecimal("33.33"), new BigDecimal("33.33"));
        assertThat(total(r.mapping())).isEqualTo(new BigDecimal("100.00"));
        assertThat(r.notes()).anyMatch(n -> n.contains("split equally"));
    }

    @Test
    void sharesNotAddingUpToHundredAreNormalisedAndSaySo() {
        ProMapper.Result r = mapper.explain(recording("FRZ039800212",
                new Writer("A", null, "SACEM", "composer", new BigDecimal("40")),
                new Writer("B", null, "SACEM", "lyricist", new BigDecimal("40"))));

        assertThat(r.mapping().shares()).extracting(SocietyShare::sharePercent)
                .containsExactly(new BigDecimal("50.00"), new BigDecimal("50.00"));
        assertThat(r.notes()).anyMatch(n -> n.contains("add up to 80%: normalised"));
    }

    @Test
    void writersWithoutSocietyFallBackToTerritory() {
        ProMapper.Result r = mapper.explain(recording("QZES71700001",
                new Writer("A", null, "BMI", "composer", new BigDecimal("50")),
                new Writer("B", null, null, "lyricist", new BigDecimal("25")),
                new Writer("C", null, "Nonexistent Society", "lyricist", new BigDecimal("25"))));

        assertThat(r.mapping().inferred()).isTrue();
        assertThat(r.mapping().shares()).extracting(SocietyShare::societyName, SocietyShare::basis).containsExactly(
                org.assertj.core.groups.Tuple.tuple("BMI", "DECLARED"),
                org.assertj.core.groups.Tuple.tuple("ASCAP", "TERRITORY"),
                org.assertj.core.groups.Tuple.tuple("ASCAP", "TERRITORY"));
        assertThat(r.notes()).anyMatch(n -> n.contains("unknown society \"Nonexistent Society\""));
        assertThat(total(r.mapping())).isEqualByComparingTo("100");
    }

    @Test
    void noWritersMeansTheIsrcCountryDecides() {
        ProMapping us = mapper.map(recording("QM6P41700001"));
        ProMapping gh = mapper.map(recording("GHA011500001"));

        assertThat(us.inferred()).isTrue();
        assertThat(us.shares()).containsExactly(
                new SocietyShare("010", "ASCAP", new BigDecimal("100.00"), null, "territory", "TERRITORY"));
        assertThat(gh.shares()).extracting(SocietyShare::societyName).containsExactly("GHAMRO");
    }

    @Test
    void unknownCountryOrNoIsrcGoesToSuspense() {
        ProMapper.Result zz = mapper.explain(recording("ZZA011500001"));
        ProMapping none = mapper.map(recording(null));

        assertThat(zz.mapping().shares()).extracting(SocietyShare::societyCode, SocietyShare::societyName,
                SocietyShare::sharePercent).containsExactly(
                org.assertj.core.groups.Tuple.tuple("000", "UNMAPPED", new BigDecimal("100.00")));
        assertThat(zz.notes()).anyMatch(n -> n.contains("no default society for ISRC country ZZ"));
        assertThat(none.shares()).extracting(SocietyShare::societyCode).containsExactly("000");
        assertThat(none.inferred()).isTrue();
    }

    @Test
    void partialSharesGiveTheRemainderToWritersWithout() {
        ProMapping m = mapper.map(recording("DEA011500001",
                new Writer("A", null, "GEMA", "composer", new BigDecimal("60")),
                new Writer("B", null, "GEMA", "lyricist", null),
                new Writer("C", null, "GEMA", "lyricist", null)));

        assertThat(m.shares()).extracting(SocietyShare::sharePercent)
                .containsExactly(new BigDecimal("60.00"), new BigDecimal("20.00"), new BigDecimal("20.00"));
    }
}
