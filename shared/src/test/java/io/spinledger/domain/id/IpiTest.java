package io.spinledger.domain.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IpiTest {
    @Test
    void checkDigitsAreMod101OverTheFirstNine() {
        // spelled out: digits 0,0,0,1,4,1,0,7,3 weights 10..2 -> 1x7 + 4x6 + 1x5 + 0x4 + 7x3 + 3x2 = 63 -> 38
        assertThat(Ipi.checkDigits("000141073")).isEqualTo("38");
        assertThat(Ipi.parse("00014107338").value()).isEqualTo("00014107338");
        assertThat(Ipi.parse(" 000.141.073.38 ").value()).isEqualTo("00014107338");
        // a legacy 9-digit CAE number reads as an IPI name number with two leading zeros
        assertThat(Ipi.parse("014107338").value()).isEqualTo("00014107338");
    }

    @Test
    void wrongCheckDigitsShapesAndZerosAreRefusedWithAReason() {
        assertThat(Ipi.problemOf("00014107339")).isEqualTo("IPI 00014107339 has check digits 39, expected 38");
        assertThat(Ipi.tryParse("00014107339")).isEmpty();
        assertThat(Ipi.problemOf("1234")).contains("11 digits");
        assertThat(Ipi.problemOf("00000000000")).contains("not a party");
        assertThatThrownBy(() -> Ipi.parse("abc")).isInstanceOf(IllegalArgumentException.class);
    }
}
