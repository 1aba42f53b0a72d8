package io.spinledger.engine.audio;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

@Timeout(60)
class AudioDecoderTest {
    private static final AudioDecoder DECODER = new AudioDecoder();
    private static Path oggFile;
    private static byte[] oggBytes;
    private static Pcm ogg;

    @BeforeAll
    static void decodeOnce() throws Exception {
        oggFile = TestAudio.wesnoth("sad.ogg"); // 44.4 s Ogg Vorbis, stereo 44.1 kHz
        oggBytes = Files.readAllBytes(oggFile);
        ogg = DECODER.decode(oggFile);
    }

    @Test
    void decodesOggFileToMonoAtTheRequestedRate() {
        assertThat(ogg.sampleRateHz()).isEqualTo(11_025);
        assertThat(ogg.durationMs()).isCloseTo(44_400L, within(100L));
        assertThat(rms(ogg.samples())).isGreaterThan(0.01);
        for (float s : ogg.samples()) {
            assertThat(s).isBetween(-1f, 1f);
        }
    }

    @Test
    void decodesOggBytesLikeTheFile() {
        Pcm fromBytes = DECODER.decode(oggBytes);

        assertThat(fromBytes.samples().length).isEqualTo(ogg.samples().length);
        assertThat(maxAbsDifference(fromBytes.samples(), ogg.samples())).isLessThan(1e-6f);
    }

    @Test
    void resamplesToOtherRates() {
        Pcm wide = new AudioDecoder(22_050, AudioDecoder.DEFAULT_MAX_DURATION_MS).decode(oggFile);

        assertThat(wide.sampleRateHz()).isEqualTo(22_050);
        assertThat(wide.durationMs()).isCloseTo(ogg.durationMs(), within(50L));
    }

    @Test
    void decodesMp3MadeByFfmpegAndKeepsTheSignal() {
        Pcm clip = ogg.slice(10_000, 15_000);
        byte[] mp3 = TestAudio.toMp3(clip, 128);

        Pcm decoded = DECODER.decode(mp3);

        assertThat(decoded.durationMs()).isCloseTo(5_000L, within(120L));
        // Same waveform up to coding noise and a small encoder delay.
        assertThat(bestCorrelation(clip.samples(), decoded.samples(), 1200)).isGreaterThan(0.9);
    }

    @Test
    void wavRoundTripKeepsSamplesTo16Bits() {
        Pcm clip = ogg.slice(0, 3_000);
        byte[] wav = Wav.write(clip);

        assertThat(wav).hasSize(44 + 2 * clip.samples().length);
        Pcm back = Wav.read(wav);
        assertThat(back.sampleRateHz()).isEqualTo(11_025);
        assertThat(maxAbsDifference(back.samples(), clip.samples())).isLessThan(1.5f / 32768);

        // FFmpeg reads our WAV the same way.
        Pcm viaFfmpeg = DECODER.decode(wav);
        assertThat(maxAbsDifference(viaFfmpeg.samples(), back.samples())).isLessThan(1e-4f);
    }

    @Test
    void wavReaderRejectsWhatIsNotWav() {
        assertThatThrownBy(() -> Wav.read("not a wave file at all".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(AudioDecodingException.class)
                .hasMessageContaining("RIFF");
        assertThatThrownBy(() -> Wav.read(oggBytes)).isInstanceOf(AudioDecodingException.class);
    }

    @Test
    void rejectsEmptyInput() {
        assertThatThrownBy(() -> DECODER.decode(new byte[0]))
                .isInstanceOf(AudioDecodingException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void rejectsGarbageBytes() {
        byte[] noise = new byte[64 * 1024];
        new Random(7).nextBytes(noise);
        byte[] text = "<html><body>404 Not Found</body></html>".repeat(100).getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> DECODER.decode(noise)).isInstanceOf(AudioDecodingException.class);
        assertThatThrownBy(() -> DECODER.decode(text)).isInstanceOf(AudioDecodingException.class);
    }

    @Test
    void rejectsMissingFile() {
        assertThatThrownBy(() -> DECODER.decode(Path.of("/nonexistent/clip.ogg")))
                .isInstanceOf(AudioDecodingException.class)
                .hasMessageContaining("/nonexistent/clip.ogg");
    }

    @Test
    void truncatedFileReturnsWhatDecodes() {
        byte[] firstHalf = Arrays.copyOf(oggBytes, oggBytes.length / 2);

        Pcm partial = DECODER.decode(firstHalf);

        assertThat(partial.durationMs()).isBetween(15_000L, 30_000L);
        // The part that decoded is the start of the recording.
        float[] expected = Arrays.copyOf(ogg.samples(), partial.samples().length - 11_025);
        float[] actual = Arrays.copyOf(partial.samples(), expected.length);
        assertThat(maxAbsDifference(actual, expected)).isLessThan(1e-4f);
    }

    @Test
    void headerOnlyFileIsRejected() {
        byte[] header = Arrays.copyOf(oggBytes, 300);

        assertThatThrownBy(() -> DECODER.decode(header)).isInstanceOf(AudioDecodingException.class);
    }

    private static double rms(float[] x) {
        double sum = 0;
        for (float v : x) {
            sum += v * v;
        }
        return Math.sqrt(sum / x.length);
    }

    private static float maxAbsDifference(float[] a, float[] b) {
        assertThat(a.length).isEqualTo(b.length);
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    /** Highest normalised cross-correlation of b against a over lags 0..maxLag (b delayed). */
    private static double bestCorrelation(float[] a, float[] b, int maxLag) {
        double best = -1;
        for (int lag = -maxLag; lag <= maxLag; lag++) {
            double ab = 0;
            double aa = 0;
            double bb = 0;
            for (int i = Math.max(0, -lag); i < a.length && i + lag < b.length; i++) {
                double x = a[i];
                double y = b[i + lag];
                ab += x * y;
                aa += x * x;
                bb += y * y;
            }
            if (aa > 0 && bb > 0) {
                best = Math.max(best, ab / Math.sqrt(aa * bb));
            }
        }
        return best;
    }
}
