package io.spinledger.engine.audio;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LoudnessTest {

    @Test
    void rmsOfAFullScaleSineIsOneOverRootTwo() {
        float[] sine = new float[11_025];
        for (int i = 0; i < sine.length; i++) {
            sine[i] = (float) Math.sin(2 * Math.PI * 441 * i / 11_025.0);
        }
        assertThat(Loudness.rms(sine)).isCloseTo(Math.sqrt(0.5), within(1e-4));
        assertThat(Loudness.rms(new float[0])).isZero();
    }

    @Test
    void rmsOfARangeOnlyLooksAtThatRange() {
        float[] x = {1f, 1f, 0.5f, -0.5f, 9f};

        assertThat(Loudness.rms(x, 2, 2)).isEqualTo(0.5);
        assertThat(Loudness.rms(x, 4, 0)).isZero();
        assertThatThrownBy(() -> Loudness.rms(x, 3, 3)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void silenceIsBelowMinus50Dbfs() {
        float[] quiet = new float[1000];
        java.util.Arrays.fill(quiet, 0.0029f);
        float[] audible = new float[1000];
        java.util.Arrays.fill(audible, 0.0031f);

        assertThat(20 * Math.log10(Loudness.SILENCE_RMS)).isCloseTo(-50.5, within(0.1));
        assertThat(Loudness.isSilent(quiet)).isTrue();
        assertThat(Loudness.isSilent(audible)).isFalse();
        assertThat(Loudness.isSilent(new float[0])).isTrue();
    }
}
