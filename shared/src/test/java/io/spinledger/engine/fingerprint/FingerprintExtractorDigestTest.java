package io.spinledger.engine.fingerprint;

import io.spinledger.engine.audio.AudioDecoder;
import io.spinledger.engine.audio.Pcm;
import io.spinledger.engine.audio.TestAudio;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins the extractor's output bit for bit: the index format and the calibrated match thresholds
 * depend on the exact hashes, frames and pitches (references) and keys, times and pitches (queries),
 * so a change meant only to make extraction faster must leave these SHA-256 digests as they are.
 * Inputs: three recordings whole, slices of them that start at odd samples (other frame and block
 * alignments), a coarsely quantised copy (ties between spectral values), and short, silent and
 * synthetic edge cases around the block length.
 *
 * <p>If a change to the fingerprints is intended, it changes the hash scheme: bump
 * {@link FingerprintConfig#HASH_LAYOUT_VERSION} (stored segments are then rebuilt), recalibrate the
 * thresholds, and update the digests here.
 */
@Timeout(120)
class FingerprintExtractorDigestTest {
    private static final String REFERENCE_DIGEST = "99dc4caa3792856bc8667aeaecf20c46b6fe7aec68b597a7b45dc0931f99437f";
    private static final String QUERY_DIGEST = "4c602513b9093bd067802dee5974c6caf2c956eb3b169a47d364e56a9155876d";

    private static final FingerprintConfig CONFIG = FingerprintConfig.defaults();
    private static final Map<String, Pcm> INPUTS = new LinkedHashMap<>();

    @BeforeAll
    static void inputs() {
        int rate = CONFIG.sampleRateHz();
        AudioDecoder decoder = new AudioDecoder(rate, AudioDecoder.DEFAULT_MAX_DURATION_MS);
        Random r = new Random(7);
        for (String track : new String[] {"defeat", "victory2", "elf-land"}) {
            Pcm p = decoder.decode(TestAudio.wesnoth(track + ".ogg"));
            float[] s = p.samples();
            INPUTS.put(track, p);
            int odd = 1 + r.nextInt(255);
            INPUTS.put(track + "+" + odd, new Pcm(Arrays.copyOfRange(s, odd, s.length), rate));
            float[] q = new float[s.length];
            for (int i = 0; i < s.length; i++) {
                q[i] = Math.round(s[i] * 32f) / 32f;
            }
            INPUTS.put(track + "/quantised", new Pcm(q, rate));
        }
        INPUTS.put("empty", new Pcm(new float[0], rate));
        INPUTS.put("short", new Pcm(new float[CONFIG.fftSize() - 1], rate));
        INPUTS.put("silence", new Pcm(new float[rate * 5], rate));
        for (int frames : new int[] {1, 2, 7, 13, 1023, 1024, 1025, 1037, 2060}) {
            float[] s = new float[CONFIG.fftSize() + CONFIG.hopSize() * (frames - 1)];
            Random n = new Random(frames);
            for (int i = 0; i < s.length; i++) {
                s[i] = (float) (0.3 * Math.sin(2 * Math.PI * (440 + (i / 2000) * 37) * i / rate)
                        + 0.05 * n.nextGaussian());
            }
            INPUTS.put("frames-" + frames, new Pcm(s, rate));
        }
        float[] square = new float[rate * 5];
        for (int i = 0; i < square.length; i++) {
            square[i] = (i / 25) % 2 == 0 ? 0.5f : -0.5f;
        }
        INPUTS.put("square", new Pcm(square, rate));
    }

    @Test
    void referenceFingerprintsAreUnchanged() throws Exception {
        FingerprintExtractor extractor = new FingerprintExtractor(CONFIG);
        MessageDigest md = FingerprintDigest.sha256();
        int total = 0;
        for (Pcm p : INPUTS.values()) {
            Fingerprints f = extractor.extract(p);
            FingerprintDigest.update(md, f);
            total += f.size();
        }
        assertThat(total).isGreaterThan(1000);
        assertThat(HexFormat.of().formatHex(md.digest())).isEqualTo(REFERENCE_DIGEST);
    }

    @Test
    void queryFingerprintsAreUnchanged() throws Exception {
        FingerprintExtractor extractor = new FingerprintExtractor(CONFIG);
        MessageDigest md = FingerprintDigest.sha256();
        int total = 0;
        for (Pcm p : INPUTS.values()) {
            QueryFingerprints q = extractor.extractQuery(p);
            FingerprintDigest.update(md, q);
            total += q.size();
        }
        assertThat(total).isGreaterThan(1000);
        assertThat(HexFormat.of().formatHex(md.digest())).isEqualTo(QUERY_DIGEST);
    }

    @Test
    void extractionIsRepeatableOnOneInstanceAndAcrossInstances() {
        FingerprintExtractor a = new FingerprintExtractor(CONFIG);
        Pcm p = INPUTS.get("victory2");
        Fingerprints first = a.extract(p);
        QueryFingerprints q = a.extractQuery(p);
        a.extract(INPUTS.get("frames-2060"));
        Fingerprints again = new FingerprintExtractor(CONFIG).extract(p);
        assertThat(a.extract(p).hashes()).isEqualTo(first.hashes());
        assertThat(again.hashes()).isEqualTo(first.hashes());
        assertThat(again.frames()).isEqualTo(first.frames());
        assertThat(a.extractQuery(p).keys()).isEqualTo(q.keys());
    }
}
