package io.spinledger.domain.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IsrcTest {
    @Test
    void normalisesPresentationForms() {
        assertThat(Isrc.parse("  ISRC GB-AAA-99-00303 ").value()).isEqualTo("GBAAA9900303");
        assertThat(Isrc.parse("isrc: us-um7-17-03861").value()).isEqualTo("USUM71703861");
        assertThat(Isrc.parse("gbaaa9900303").display()).isEqualTo("GB-AAA-99-00303");
    }

    @Test
    void countryCodeAndAgencyCountry() {
        assertThat(Isrc.parse("GHA011500001").countryCode()).isEqualTo("GH");
        assertThat(Isrc.parse("QM6P41700001").agencyCountry()).isEqualTo("US");
        assertThat(Isrc.parse("QZES71700001").agencyCountry()).isEqualTo("US");
        assertThat(Isrc.parse("QT3F12400001").agencyCountry()).isEqualTo("US");
        assertThat(Isrc.parse("UKAAA0000001").agencyCountry()).isEqualTo("GB");
        assertThat(Isrc.parse("FRZ039800212").agencyCountry()).isEqualTo("FR");
    }

    @Test
    void rejectsMalformedWithAClearMessage() {
        assertThatThrownBy(() -> Isrc.parse("GB-AAA-99-0030")).isInstanceOf(MalformedIsrcException.class)
                .hasMessageContaining("GB-AAA-99-0030").hasMessageContaining("GBAAA990030");
        assertThatThrownBy(() -> Isrc.parse("1BAAA9900303")).isInstanceOf(MalformedIsrcException.class);
        assertThatThrownBy(() -> Isrc.parse("GBAAAA900303")).isInstanceOf(MalformedIsrcException.class);
        assertThatThrownBy(() -> Isrc.parse(null)).isInstanceOf(MalformedIsrcException.class);
        assertThatThrownBy(() -> new Isrc("gbaaa9900303")).isInstanceOf(MalformedIsrcException.class);
        assertThat(Isrc.tryParse("nonsense")).isEmpty();
    }
}
