package io.spinledger.domain.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IswcTest {
    @Test
    void checkDigitsOfPublishedCodes() {
        assertThat(Iswc.checkDigit("034524680")).isEqualTo(1);
        assertThat(Iswc.checkDigit("000000001")).isZero();
        assertThat(Iswc.checkDigit("917819808")).isEqualTo(8);
        assertThat(Iswc.checkDigit("010095403")).isEqualTo(7);
    }

    @Test
    void normalisesEverySeparatorStyle() {
        assertThat(Iswc.parse("T0345246801").value()).isEqualTo("T-034.524.680-1");
        assertThat(Iswc.parse(" t-034524680-1 ").value()).isEqualTo("T-034.524.680-1");
        assertThat(Iswc.parse("T-034.524.680.1").value()).isEqualTo("T-034.524.680-1");
        assertThat(Iswc.parse("T-000.000.001-0").compact()).isEqualTo("T0000000010");
    }

    @Test
    void rejectsWrongCheckDigitAndShape() {
        assertThatThrownBy(() -> Iswc.parse("T-034.524.680-2")).isInstanceOf(MalformedIswcException.class)
                .hasMessageContaining("expected 1");
        assertThatThrownBy(() -> Iswc.parse("034.524.680-1")).isInstanceOf(MalformedIswcException.class);
        assertThatThrownBy(() -> Iswc.parse("T-034.524.68-1")).isInstanceOf(MalformedIswcException.class);
        assertThat(Iswc.tryParse("T-917.819.808-8")).isPresent();
    }
}
