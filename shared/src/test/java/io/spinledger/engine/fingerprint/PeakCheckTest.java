package io.spinledger.engine.fingerprint;

import io.spinledger.engine.audio.AudioDecoder;
import io.spinledger.engine.audio.Pcm;
import io.spinledger.engine.audio.TestAudio;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The peak check on real recordings under 0 dB of white noise: a track's anchor peaks stand out
 * on the true line and not on wrong ones (another place in the same track, another track).
 */
@Timeout(120)
class PeakCheckTest {
    private static final FingerprintConfig CONFIG = FingerprintConfig.defaults();
    private static final FingerprintExtractor EXTRACTOR = new FingerprintExtractor(CONFIG);
    private static final List<String> TRACKS = List.of("love_theme", "elf-land");
    private static final FingerprintIndex INDEX = new FingerprintIndex();
    private static final Map<String, Pcm> AUDIO = new java.util.LinkedHashMap<>();

    @BeforeAll
    static void register() {
        AudioDecoder decoder = new AudioDecoder();
        for (String t : TRACKS) {
            Pcm pcm = decoder.decode(TestAudio.wesnoth(t + ".ogg"));
            AUDIO.put(t, pcm);
            INDEX.add(t, EXTRACTOR.extract(pcm));
        }
    }

    @Test
    void theTrueLineUnderZeroDbNoiseStandsFarAboveWrongLines() {
        Random r = new Random(3);
        List<Double> onLine = new ArrayList<>();
        List<Double> offLine = new ArrayList<>();
        for (String track : TRACKS) {
            Pcm pcm = AUDIO.get(track);
            String other = TRACKS.get(1 - TRACKS.indexOf(track));
            for (int k = 0; k < 4; k++) {
                long from = 2_000 + (long) (r.nextDouble() * (pcm.durationMs() - 16_000));
                QueryFingerprints q = EXTRACTOR.extractQuery(TestAudio.withNoise(pcm.slice(from, from + 10_000), 0, k));
                double offset = from / CONFIG.frameMs();
                onLine.add(score(track, q, offset));
                offLine.add(score(track, q, offset + 130));   // 3 s later in the same track
                offLine.add(score(track, q, offset - 217));   // 5 s earlier
                offLine.add(score(other, q, 20_000 / CONFIG.frameMs() + 50 * k));
            }
        }
        Collections.sort(onLine);
        // (measured: 28-35 on the line, at most 3.7 off it; the bench's chance lines, chosen by the
        // vote and so the hardest wrong lines, reach about 8.4)
        assertThat(onLine.get(onLine.size() / 2)).as("median on the line, %s", onLine).isGreaterThan(20);
        assertThat(onLine.get(0)).as("weakest on the line, %s", onLine).isGreaterThan(12);
        assertThat(Collections.max(offLine)).as("off the line, %s", offLine).isLessThan(5);
    }

    @Test
    void aQueryWithFewAnchorsInsideGetsNoVerdict() {
        Pcm pcm = AUDIO.get("love_theme");
        // 0.3 s of the track: a dozen anchors at most, below the minimum
        QueryFingerprints q = EXTRACTOR.extractQuery(pcm.slice(30_000, 30_300));
        assertThat(score("love_theme", q, 30_000 / CONFIG.frameMs())).isNaN();
        // silence: no peaks at all
        QueryFingerprints silence = EXTRACTOR.extractQuery(TestAudio.silence(10_000, CONFIG.sampleRateHz()));
        assertThat(silence.peakFrames()).isEmpty();
        double z = score("love_theme", silence, 30_000 / CONFIG.frameMs());
        assertThat(z).isLessThan(CONFIG.matching().peakRefuteBelowZ()); // every anchor absent, on the line and off it
    }

    @Test
    void peakConfidenceIsZeroUpToTheHighestChanceScoreAndHalfAtNinePointTwo() {
        assertThat(Matcher.peakConfidence(0)).isZero();
        assertThat(Matcher.peakConfidence(8.5)).isZero();
        assertThat(Matcher.peakConfidence(8.5 + Math.log(2))).isCloseTo(0.5, within(1e-9));
        assertThat(Matcher.peakConfidence(10.8)).isGreaterThan(0.89);
        assertThat(Matcher.peakConfidence(40)).isCloseTo(1.0, within(1e-9));
    }

    private static double score(String track, QueryFingerprints q, double offsetFrames) {
        FingerprintIndex.View view = INDEX.view();
        int reach = PeakCheck.MAX_TIME_SHIFT_FRAMES + 2;
        int[][] anchors = view.anchors(view.ordinal(track), (int) Math.floor(offsetFrames - reach),
                (int) Math.ceil(offsetFrames + q.durationFrames() + reach));
        return PeakCheck.score(CONFIG, q, anchors[0], anchors[1], 1.0, offsetFrames, 1.0);
    }
}
