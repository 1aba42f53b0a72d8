package io.spinledger.stage.rights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.spinledger.domain.ProMapping;
import io.spinledger.domain.Recording;
import io.spinledger.domain.SocietyShare;
import io.spinledger.domain.Writer;
import io.spinledger.domain.id.Ipi;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProMapperTest {
    /** Valid IPI name numbers (mod-101 check digits computed by {@link Ipi#checkDigits}). */
    static final String KOFI_IPI = "00014107338";
    static final String JANE_IPI = "00273647052";
    private final ProMapper mapper = new ProMapper(SocietyRegistry.loadDefault());

    private static Recording recording(String isrc, Writer... writers) {
        return new Recording(isrc, "Song", List.of("Artist"), null, null, null, null, List.of(writers), Map.of());
    }

    /** A recording whose writers came from MusicBrainz work relations, with the work's society ids. */
    private static Recording fromMusicBrainz(String isrc, Map<String, String> workIds, Writer... writers) {
        return new Recording(isrc, "Song", List.of("Artist"), null, null, "T-034.524.680-1", "Song",
                List.of(writers), Map.of("writers", "MUSICBRAINZ"), workIds);
    }

    private static BigDecimal total(ProMapping m) {
        return m.shares().stream().map(SocietyShare::sharePercent).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    @Test
    void declaredByIpiWinsWithFullConfidence() {
        ProMapper.Result r = mapper.explain(recording("GHA011500001",
                new Writer("Kofi", KOFI_IPI, "GHAMRO", "composer", new BigDecimal("50")),
                new Writer("Jane", JANE_IPI, "052", "lyricist", new BigDecimal("30")),
                new Writer("Sam", null, "ascap", "composer", new BigDecimal("20"))));

        assertThat(r.refused()).isFalse();
        assertThat(r.mapping().inferred()).isFalse();
        assertThat(r.mapping().shares()).extracting(SocietyShare::societyCode, SocietyShare::sharePercent,
                SocietyShare::basis, SocietyShare::confidence).containsExactly(
                tuple("285", new BigDecimal("50.00"), "DECLARED", 1.0),
                tuple("052", new BigDecimal("30.00"), "DECLARED", 1.0),
                // identified by name only: declared, a little less trusted
                tuple("010", new BigDecimal("20.00"), "DECLARED", 0.9));
        assertThat(total(r.mapping())).isEqualByComparingTo("100");
    }

    @Test
    void aBadIpiCheckDigitRefusesThatWritersDeclarationIntoSuspense() {
        ProMapper.Result r = mapper.explain(recording("GHA011500001",
                new Writer("Kofi", KOFI_IPI, "GHAMRO", "composer", new BigDecimal("60")),
                new Writer("Jane", "00273647053", "PRS", "lyricist", new BigDecimal("40"))));

        assertThat(r.refused()).isTrue();
        assertThat(r.problems()).singleElement().asString()
                .contains("Jane", "00273647053", "check digits 53, expected 52", "refused");
        assertThat(r.mapping().shares()).extracting(SocietyShare::societyCode, SocietyShare::sharePercent,
                SocietyShare::basis, SocietyShare::confidence).containsExactly(
                tuple("285", new BigDecimal("60.00"), "DECLARED", 1.0),
                tuple("000", new BigDecimal("40.00"), "REFUSED", 0.0));
        assertThat(r.mapping().inferred()).isTrue();
    }

    @Test
    void performingSharesNotAddingUpToHundredAreRefusedNotNormalised() {
        ProMapper.Result r = mapper.explain(recording("FRZ039800212",
                new Writer("A", null, "SACEM", "composer", new BigDecimal("40")),
                new Writer("B", null, "SACEM", "lyricist", new BigDecimal("40"))));

        assertThat(r.problems()).containsExactly("performing shares add up to 80%, not 100%: performing declaration refused");
        assertThat(r.mapping().shares()).containsExactly(new SocietyShare("000", "UNMAPPED", new BigDecimal("100.00"),
                null, "refused", "REFUSED", 0.0));

        ProMapper.Result over = mapper.explain(recording("FRZ039800212",
                new Writer("A", null, "SACEM", "composer", new BigDecimal("70")),
                new Writer("B", null, "SACEM", "lyricist", new BigDecimal("50"))));
        assertThat(over.problems()).singleElement().asString().contains("120%");
    }

    @Test
    void roundedThirdsAreWithinToleranceAndStillExactlyHundred() {
        ProMapper.Result r = mapper.explain(recording("GBAAA9900303",
                new Writer("A", null, "PRS", "composer", new BigDecimal("33.33")),
                new Writer("B", null, "PRS", "composer", new BigDecimal("33.33")),
                new Writer("C", null, "PRS", "lyricist", new BigDecimal("33.33"))));

        assertThat(r.refused()).isFalse();
        assertThat(total(r.mapping())).isEqualTo(new BigDecimal("100.00"));
        assertThat(r.notes()).anyMatch(n -> n.contains("99.99% (rounding)"));
    }

    @Test
    void mechanicalSharesAreCheckedAsTheirOwnRightType() {
        ProMapper.Result r = mapper.explain(recording("GBAAA9900303",
                new Writer("A", null, "PRS", "composer", new BigDecimal("50"), new BigDecimal("50")),
                new Writer("B", null, "PRS", "lyricist", new BigDecimal("50"), new BigDecimal("25"))));

        // performing is consistent and paid; the mechanical declaration (75 %) is refused and reported
        assertThat(r.mapping().shares()).extracting(SocietyShare::basis).containsOnly("DECLARED");
        assertThat(r.problems()).containsExactly("mechanical shares add up to 75%, not 100%: mechanical declaration refused");
    }

    @Test
    void missingSharesSplitEquallyWithLowerConfidence() {
        ProMapper.Result r = mapper.explain(recording("GBAAA9900303",
                new Writer("A", null, "PRS", "composer", null),
                new Writer("B", null, "PRS", "composer", null),
                new Writer("C", null, "PRS", "lyricist", null)));

        assertThat(r.mapping().shares()).extracting(SocietyShare::sharePercent)
                .containsExactly(new BigDecimal("33.34"), new BigDecimal("33.33"), new BigDecimal("33.33"));
        assertThat(r.mapping().shares()).extracting(SocietyShare::confidence).containsOnly(0.8);
        assertThat(r.notes()).anyMatch(n -> n.contains("split equally"));

        ProMapping partial = mapper.map(recording("DEA011500001",
                new Writer("A", null, "GEMA", "composer", new BigDecimal("60")),
                new Writer("B", null, "GEMA", "lyricist", null),
                new Writer("C", null, "GEMA", "lyricist", null)));
        assertThat(partial.shares()).extracting(SocietyShare::sharePercent)
                .containsExactly(new BigDecimal("60.00"), new BigDecimal("20.00"), new BigDecimal("20.00"));
        assertThat(mapper.explain(recording("DEA011500001",
                new Writer("A", null, "GEMA", "composer", new BigDecimal("100")),
                new Writer("B", null, "GEMA", "lyricist", null))).problems())
                .singleElement().asString().contains("leave nothing for 1 writer(s)");
    }

    @Test
    void musicBrainzWorkRelationsAndSocietyWorkIdsAreTheSecondSource() {
        ProMapper.Result r = mapper.explain(fromMusicBrainz("GBAAA9900303", Map.of("ASCAP ID", "880123456"),
                new Writer("Tom Rowlands", null, null, "composer", null),
                new Writer("Ed Simons", null, null, "composer/lyricist", null)));

        assertThat(r.mapping().shares()).extracting(SocietyShare::societyName, SocietyShare::sharePercent,
                SocietyShare::party, SocietyShare::basis, SocietyShare::confidence).containsExactly(
                tuple("ASCAP", new BigDecimal("50.00"), "Tom Rowlands", "MUSICBRAINZ", 0.6),
                tuple("ASCAP", new BigDecimal("50.00"), "Ed Simons", "MUSICBRAINZ", 0.6));
        assertThat(r.mapping().inferred()).isTrue();

        // several society ids: the one of the ISRC's country wins, and the choice is noted
        Map<String, String> ids = new LinkedHashMap<>();
        ids.put("ASCAP ID", "880123456");
        ids.put("PRS tune code", "123456AB");
        ids.put("HFA ID", "X123");
        ProMapper.Result several = mapper.explain(fromMusicBrainz("GBAAA9900303", ids,
                new Writer("Tom Rowlands", null, null, "composer", null)));
        assertThat(several.mapping().shares()).extracting(SocietyShare::societyName, SocietyShare::confidence)
                .containsExactly(tuple("PRS", 0.5));
        assertThat(several.notes()).anyMatch(n -> n.contains("PRS chosen (ISRC country)"))
                .anyMatch(n -> n.contains("\"HFA ID\"") && n.contains("ignored"));
    }

    @Test
    void aDeclaredWriterWithoutSocietyTakesTheWorksSocietyBeforeTheTerritory() {
        Recording r = new Recording("GHA011500001", "Song", List.of("A"), null, null, null, null,
                List.of(new Writer("Kofi", KOFI_IPI, "GHAMRO", "composer", new BigDecimal("50")),
                        new Writer("Lee", null, null, "lyricist", new BigDecimal("50"))),
                Map.of("writers", "CATALOG"), Map.of("BMI ID", "12345"));

        assertThat(mapper.map(r).shares()).extracting(SocietyShare::societyName, SocietyShare::basis)
                .containsExactly(tuple("GHAMRO", "DECLARED"), tuple("BMI", "MUSICBRAINZ"));
    }

    @Test
    void territoryIsInferredWithTheLowestConfidenceIncludingUsExtraPrefixes() {
        ProMapper.Result r = mapper.explain(recording("QZES71700001",
                new Writer("A", null, "BMI", "composer", new BigDecimal("50")),
                new Writer("B", null, null, "lyricist", new BigDecimal("25")),
                new Writer("C", null, "Nonexistent Society", "lyricist", new BigDecimal("25"))));

        assertThat(r.mapping().inferred()).isTrue();
        assertThat(r.mapping().shares()).extracting(SocietyShare::societyName, SocietyShare::basis,
                SocietyShare::confidence).containsExactly(
                tuple("BMI", "DECLARED", 0.9),
                tuple("ASCAP", "TERRITORY", 0.2), // the US has several societies: lowest confidence
                tuple("ASCAP", "TERRITORY", 0.2));
        assertThat(r.notes()).anyMatch(n -> n.contains("unknown society \"Nonexistent Society\""));

        for (String isrc : List.of("QM6P41700001", "QT6P41700001", "USUM71703861")) {
            assertThat(mapper.map(recording(isrc)).shares()).as(isrc).containsExactly(
                    new SocietyShare("010", "ASCAP", new BigDecimal("100.00"), null, "territory", "TERRITORY", 0.2));
        }
        ProMapping gh = mapper.map(recording("GHA011500001"));
        assertThat(gh.inferred()).isTrue();
        assertThat(gh.shares()).extracting(SocietyShare::societyName, SocietyShare::confidence)
                .containsExactly(tuple("GHAMRO", 0.3));
    }

    @Test
    void unknownCountryOrNoIsrcGoesToSuspense() {
        ProMapper.Result zz = mapper.explain(recording("ZZA011500001"));
        ProMapping none = mapper.map(recording(null));

        assertThat(zz.mapping().shares()).extracting(SocietyShare::societyCode, SocietyShare::societyName,
                SocietyShare::sharePercent, SocietyShare::confidence).containsExactly(
                tuple("000", "UNMAPPED", new BigDecimal("100.00"), 0.0));
        assertThat(zz.notes()).anyMatch(n -> n.contains("no default society for ISRC country ZZ"));
        assertThat(none.shares()).extracting(SocietyShare::societyCode).containsExactly("000");
        assertThat(none.inferred()).isTrue();
    }
}
