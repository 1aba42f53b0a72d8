package io.spinledger.engine.audio;

import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(60)
class FfmpegDecoderTest {

    private static Frame frame(int channels, java.nio.Buffer... planes) {
        Frame f = new Frame();
        f.audioChannels = channels;
        f.samples = planes;
        return f;
    }

    @Test
    void interleavedStereoShortsAreAveragedToMonoFloats() {
        short[] lr = {16384, 0, -32768, -32768, 32767, -32767};

        float[] mono = FfmpegDecoder.mono(frame(2, ShortBuffer.wrap(lr)));

        assertThat(mono).containsExactly(0.25f, -1f, 0f);
    }

    @Test
    void planarChannelsAreAveragedAndOutOfRangeOrNaNSamplesAreClamped() {
        FloatBuffer left = FloatBuffer.wrap(new float[] {0.5f, 1.5f, Float.NaN, -3f});
        FloatBuffer right = FloatBuffer.wrap(new float[] {0.1f, 1.5f, 0f, -3f});

        float[] mono = FfmpegDecoder.mono(frame(2, left, right));

        assertThat(mono).containsExactly(0.3f, 1f, 0f, -1f);
        assertThat(left.position()).isZero(); // the frame's buffers are not consumed
    }

    @Test
    void unsigned8BitAndEmptyFrames() {
        assertThat(FfmpegDecoder.mono(frame(1, ByteBuffer.wrap(new byte[] {(byte) 128, 0, (byte) 192}))))
                .containsExactly(0f, -1f, 0.5f);
        assertThat(FfmpegDecoder.mono(frame(1))).isEmpty();
        Frame none = new Frame();
        assertThat(FfmpegDecoder.mono(none)).isEmpty();
    }

    @Test
    void pullsAFileBlockByBlockToTheEndLikeAudioDecoder() {
        Path ogg = TestAudio.wesnoth("sad.ogg");
        List<float[]> blocks = new ArrayList<>();
        long bytes;
        try (FfmpegDecoder d = FfmpegDecoder.ofFile(ogg, 11_025)) {
            d.open();
            assertThat(d.hasAudio()).isTrue();
            assertThat(d.formatName()).isEqualTo("ogg");
            for (float[] b = d.read(); b != null; b = d.read()) {
                assertThat(b).isNotEmpty();
                blocks.add(b);
            }
            assertThat(d.read()).isNull(); // the end stays the end
            bytes = d.bytesRead();
        }
        int total = blocks.stream().mapToInt(b -> b.length).sum();
        float[] all = new float[total];
        int at = 0;
        for (float[] b : blocks) {
            System.arraycopy(b, 0, all, at, b.length);
            at += b.length;
        }
        float[] viaAudioDecoder = new AudioDecoder().decode(ogg).samples();

        assertThat(blocks.size()).isGreaterThan(100);
        assertThat(Arrays.equals(all, viaAudioDecoder)).isTrue();
        assertThat(bytes).isGreaterThan(100_000);
    }

    @Test
    void garbageCannotBeOpenedAndReadBeforeOpenIsAnError() {
        byte[] text = "<html><body>404 Not Found</body></html>".repeat(100).getBytes();
        try (FfmpegDecoder d = FfmpegDecoder.ofBytes(text, 11_025)) {
            assertThatThrownBy(d::read).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(d::open).isInstanceOf(AudioDecodingException.class);
            assertThat(d.hasAudio()).isFalse();
        }
    }

    @Test
    void anUnreachableStreamFailsToOpenWithFfmpegsReason() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (FfmpegDecoder d = FfmpegDecoder.ofStream("http://127.0.0.1:" + port + "/live.mp3", 11_025, 1_000)) {
            assertThatThrownBy(d::open).isInstanceOf(AudioDecodingException.class)
                    .hasMessageContaining("Connection refused")
                    .hasMessageNotContaining("For more details");
        }
    }
}
