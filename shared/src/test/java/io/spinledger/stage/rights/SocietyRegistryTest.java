package io.spinledger.stage.rights;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SocietyRegistryTest {
    private final SocietyRegistry registry = SocietyRegistry.loadDefault();

    @Test
    void codesFromTheReferenceTableAreConfirmed() {
        Map<String, String> expected = Map.ofEntries(Map.entry("ASCAP", "010"), Map.entry("BMI", "021"),
                Map.entry("SESAC", "071"), Map.entry("SOCAN", "101"), Map.entry("PRS", "052"),
                Map.entry("SACEM", "058"), Map.entry("GEMA", "035"), Map.entry("SIAE", "074"),
                Map.entry("SGAE", "072"), Map.entry("JASRAC", "038"), Map.entry("APRA", "008"),
                Map.entry("KOMCA", "118"), Map.entry("GHAMRO", "285"), Map.entry("SAMRO", "063"),
                Map.entry("UBC", "093"), Map.entry("SADAIC", "061"), Map.entry("STIM", "079"),
                Map.entry("BUMA", "023"));
        expected.forEach((name, code) -> {
            Society s = registry.byName(name).orElseThrow();
            assertThat(s.code()).as(name).isEqualTo(code);
            assertThat(s.confirmed()).as(name).isTrue();
            assertThat(registry.byCode(code)).contains(s);
        });
        assertThat(registry.byName("COSGA").orElseThrow().confirmed()).isFalse();
        assertThat(registry.byName("COSGA").orElseThrow().note()).contains("legacy");
    }

    @Test
    void lookupsByCodeNameAndCountry() {
        assertThat(registry.byCode("10").orElseThrow().name()).isEqualTo("ASCAP");
        assertThat(registry.byName("prs for music").orElseThrow().code()).isEqualTo("052");
        assertThat(registry.resolve(" gema ").orElseThrow().country()).isEqualTo("DE");
        assertThat(registry.resolve("285").orElseThrow().name()).isEqualTo("GHAMRO");
        assertThat(registry.byCountry("us")).extracting(Society::name).containsExactly("ASCAP", "BMI", "SESAC", "GMR");
        assertThat(registry.defaultFor("gh").orElseThrow().name()).isEqualTo("GHAMRO");
        assertThat(registry.defaultFor("NZ").orElseThrow().name()).isEqualTo("APRA");
        assertThat(registry.defaultFor("XX")).isEmpty();
        assertThat(registry.byCode("999")).isEmpty();
    }

    @Test
    void atLeast35CountriesHaveADefault() {
        assertThat(registry.countriesWithDefault()).hasSizeGreaterThanOrEqualTo(35)
                .contains("US", "GB", "GH", "NG", "ZA", "KE", "BR", "JP");
        assertThat(registry.all()).extracting(Society::code).doesNotHaveDuplicates()
                .allMatch(c -> c.matches("\\d{3}"));
        assertThat(registry.all()).filteredOn(s -> !s.confirmed()).allMatch(s -> !s.note().isBlank());
        assertThat(List.of("US", "CA")).allMatch(c -> registry.defaultFor(c).isPresent());
    }
}
