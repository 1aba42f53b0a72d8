package io.spinledger.engine.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spinledger.engine.audio.AudioDecoder;
import io.spinledger.engine.audio.Pcm;
import io.spinledger.engine.audio.TestAudio;
import io.spinledger.ports.InMemoryObjectStore;
import org.junit.jupiter.api.Test;

/**
 * The local peaks a known placement is checked against under speech ({@link FingerprintExtractor#localPeaks},
 * {@link FingerprintEngine#localPeakQuery}) and the batch presence count ({@link FingerprintEngine#anchorsPresent}).
 */
class LocalPeaksTest {
    private static final FingerprintConfig CONFIG = FingerprintConfig.defaults();
    private static final int RATE = CONFIG.sampleRateHz();

    @Test
    void aSteadyToneHasItsLocalPeaksAtItsBin() {
        float[] x = new float[2 * RATE];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.5 * Math.sin(2 * Math.PI * 1000.0 * i / RATE));
        }
        float[][] peaks = new FingerprintExtractor(CONFIG).localPeaks(new Pcm(x, RATE), 2, 5);
        int frames = (x.length - CONFIG.fftSize()) / CONFIG.hopSize() + 1;
        double bin = 1000.0 * CONFIG.fftSize() / RATE; // 92.9

        // the tone's level barely moves from frame to frame, so the frames where it tops its 5-frame
        // neighbourhood carry the peaks: many of them, all at the tone's bin, in frame order
        assertThat(peaks[0].length).isBetween(frames / 5, frames);
        for (int i = 0; i < peaks[0].length; i++) {
            assertThat((double) peaks[1][i]).isBetween(bin - 1, bin + 1);
            assertThat(i == 0 || peaks[0][i] > peaks[0][i - 1]).isTrue();
        }
    }

    @Test
    void silenceHasNoLocalPeaks() {
        float[][] peaks = new FingerprintExtractor(CONFIG).localPeaks(TestAudio.silence(3_000, RATE), 2, 5);

        assertThat(peaks[0]).isEmpty();
        assertThat(peaks[1]).isEmpty();
        assertThatThrownBy(() -> new FingerprintExtractor(CONFIG).localPeaks(TestAudio.silence(3_000, RATE), 0, 5))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theBatchCountAgreesWithTheAnchorSupportAndTheLocalPeaksSeeMore() {
        FingerprintEngine engine = new FingerprintEngine(CONFIG, MatchThresholds.defaults(),
                new IndexStore(new InMemoryObjectStore(), CONFIG));
        Pcm love = new AudioDecoder(RATE, AudioDecoder.DEFAULT_MAX_DURATION_MS).decode(TestAudio.wesnoth("love_theme.ogg"));
        engine.register("love_theme", love);
        Pcm chunk = love.slice(50_000, 60_000);
        QueryFingerprints query = engine.fingerprintQuery(chunk);
        double[] offsets = {50_000, 50_000 + 3 * CONFIG.frameMs(), 23_456};
        double[] scales = {1.0, 1.0, 1.0};

        int[] counts = engine.anchorsPresent(query, "love_theme", offsets, scales, 1.0);
        for (int k = 0; k < offsets.length; k++) {
            FingerprintEngine.AnchorSupport s = engine.anchorSupport(query, "love_theme", Math.round(offsets[k]), 1.0,
                    1.0);
            int present = 0;
            for (boolean b : s.present()) {
                present += b ? 1 : 0;
            }
            assertThat(counts[k]).isEqualTo(present);
        }
        // the true placement far above one 3 frames off and a wrong one
        assertThat(counts[0]).isGreaterThan(3 * Math.max(counts[1], counts[2]));
        // every fingerprint peak tops a small neighbourhood too: the local peaks find the anchors at least as often
        FingerprintEngine.AnchorSupport local = engine.anchorSupport(engine.localPeakQuery(chunk), "love_theme",
                50_000, 1.0, 1.0);
        int localPresent = 0;
        for (boolean b : local.present()) {
            localPresent += b ? 1 : 0;
        }
        assertThat(localPresent).isGreaterThanOrEqualTo(counts[0]);
        assertThat(engine.anchorsPresent(query, "no-such-track", offsets, scales, 1.0)).containsOnly(0);
    }
}
