package io.spinledger.engine.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class WavTrimTest {
    @Test
    void keepsTheMiddleSeconds() {
        short[] pcm = new short[20 * 100]; // 20 s at 100 Hz
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (short) i;
        }
        byte[] trimmed = Wav.trimToSeconds(Wav.mono16(pcm, 100), 12);

        ByteBuffer b = ByteBuffer.wrap(trimmed).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getInt(40)).isEqualTo(12 * 100 * 2);
        assertThat(trimmed).hasSize(44 + 2400);
        assertThat(b.getShort(44)).isEqualTo((short) 400); // (2000 - 1200) / 2 samples skipped
        assertThat(b.getShort(trimmed.length - 2)).isEqualTo((short) 1599);
        assertThat(b.getInt(24)).isEqualTo(100);
    }

    @Test
    void shortClipsAreUnchangedAndNonWavIsRejected() {
        byte[] wav = Wav.mono16(new short[500], 100);
        assertThat(Wav.trimToSeconds(wav, 12)).isSameAs(wav);
        assertThatThrownBy(() -> Wav.trimToSeconds(new byte[]{1, 2, 3}, 12))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
