package io.spinledger.engine.fingerprint;

import io.spinledger.engine.audio.AudioDecoder;
import io.spinledger.engine.audio.Pcm;
import io.spinledger.engine.audio.TestAudio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The matcher reuses its big per-query arrays ({@code Matcher.Scratch}) and can note where its time goes
 * ({@link MatchProfile}): neither may change an answer, whatever index a reused array last served.
 */
@Timeout(120)
class MatcherScratchTest {
    private static final FingerprintConfig CONFIG = FingerprintConfig.defaults();
    private static final List<String> TRACKS = List.of("battle-epic", "elf-land", "transience");

    @Test
    void answersDoNotDependOnWhatTheReusedArraysServedBeforeNorOnProfiling() {
        FingerprintExtractor extractor = new FingerprintExtractor(CONFIG);
        AudioDecoder decoder = new AudioDecoder(CONFIG.sampleRateHz(), AudioDecoder.DEFAULT_MAX_DURATION_MS);
        Map<String, Fingerprints> refs = new LinkedHashMap<>();
        List<QueryFingerprints> queries = new ArrayList<>();
        for (String t : TRACKS) {
            Pcm pcm = decoder.decode(TestAudio.wesnoth(t + ".ogg"));
            refs.put(t, extractor.extract(pcm));
            queries.add(extractor.extractQuery(pcm.slice(20_000, 40_000)));
        }
        FingerprintIndex small = new FingerprintIndex();
        small.addAll(refs);
        // the same tracks behind 3000 random ones: a frame space (and vote array) 40 times larger
        FingerprintIndex big = new FingerprintIndex();
        Random r = new Random(3);
        Map<String, Fingerprints> noise = new LinkedHashMap<>();
        for (int t = 0; t < 3000; t++) {
            noise.put("random-" + t, random(r, 300, 1300));
        }
        big.addAll(noise);
        big.addAll(refs);
        Matcher onSmall = new Matcher(small, CONFIG, MatchThresholds.defaults());
        Matcher onBig = new Matcher(big, CONFIG, MatchThresholds.defaults());
        List<List<Match>> before = new ArrayList<>();
        for (QueryFingerprints q : queries) {
            before.add(onSmall.match(q));
        }
        for (int i = 0; i < queries.size(); i++) {
            List<Match> m = onBig.match(queries.get(i));
            assertThat(m).isNotEmpty();
            assertThat(m.get(0).trackId()).isEqualTo(TRACKS.get(i));
        }
        for (int i = 0; i < queries.size(); i++) {
            assertThat(before.get(i)).isNotEmpty();
            assertThat(before.get(i).get(0).trackId()).isEqualTo(TRACKS.get(i));
            assertThat(onSmall.match(queries.get(i))).isEqualTo(before.get(i));
            MatchProfile p = new MatchProfile(1);
            assertThat(onSmall.match(queries.get(i), p)).isEqualTo(before.get(i));
            assertThat(p.postingsRead[0]).isPositive();
            assertThat(p.stages).isBetween(1, 4);
            assertThat(p.fitted).isPositive();
            assertThat(p.hits).isPositive();
            assertThat(p.totalNs()).isPositive().isGreaterThanOrEqualTo(p.shardNs());
        }
    }

    @Test
    void aProfileForAnotherShardCountIsRefused() {
        Matcher m = new Matcher(List.of(FingerprintIndex.shard(0, 2), FingerprintIndex.shard(1, 2)), CONFIG,
                MatchThresholds.defaults());
        QueryFingerprints empty = new QueryFingerprints(new float[0], new float[0], new float[0], new int[] {0},
                new int[0], 0, new float[0], new float[0]);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> m.match(empty, new MatchProfile(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(m.match(empty, new MatchProfile(2))).isEmpty();
    }

    private static Fingerprints random(Random r, int n, int spanFrames) {
        int[] hashes = new int[n];
        int[] frames = new int[n];
        byte[] pitches = new byte[n];
        for (int i = 0; i < n; i++) {
            hashes[i] = r.nextInt(1 << FingerprintConfig.MAX_HASH_BITS);
            frames[i] = (int) ((long) i * spanFrames / n);
            pitches[i] = (byte) r.nextInt(256);
        }
        return new Fingerprints(hashes, frames, pitches);
    }
}
