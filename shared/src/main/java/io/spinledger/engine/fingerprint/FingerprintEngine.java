package io.spinledger.engine.fingerprint;

import io.spinledger.engine.audio.Pcm;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the functions call: fingerprint audio, register reference tracks, identify chunks, find
 * duplicates. Holds the in-memory index (one or more hash-range shards) kept in step with the
 * {@link IndexStore}; keep the engine across warm invocations and call {@link #refresh()} to pick
 * up tracks other instances registered. Thread-safe.
 */
public final class FingerprintEngine {
    /** Clips cut from a recording to test it for being a duplicate, and their length. */
    static final int DUPLICATE_PROBES = 5;
    static final long DUPLICATE_PROBE_MS = 10_000;
    /** Half-width in frames of the neighbourhood of {@link #localPeakQuery}'s peaks. */
    static final int LOCAL_PEAK_FRAMES = 2;
    /** Half-width in FFT bins of the neighbourhood of {@link #localPeakQuery}'s peaks. */
    static final int LOCAL_PEAK_BINS = 5;

    private final FingerprintConfig config;
    private final FingerprintExtractor extractor;
    private final List<FingerprintIndex> shards;
    private final IndexStore store;
    private final Matcher matcher;

    /**
     * An engine with one empty in-memory index; call {@link #refresh()} to load the stored one.
     *
     * @param config     extraction tunables (PCM must be at {@link FingerprintConfig#sampleRateHz()})
     * @param thresholds when a candidate is a match
     * @param store      where the index segments live
     */
    public FingerprintEngine(FingerprintConfig config, MatchThresholds thresholds, IndexStore store) {
        this(config, thresholds, store, 1);
    }

    /**
     * An engine whose in-memory index is split into {@code shardCount} hash-range shards, the
     * matcher combining their hits (in one process here; the same split serves separate processes).
     *
     * @param shardCount number of shards, 1..256
     */
    public FingerprintEngine(FingerprintConfig config, MatchThresholds thresholds, IndexStore store, int shardCount) {
        this.config = config;
        this.extractor = new FingerprintExtractor(config);
        this.store = store;
        List<FingerprintIndex> list = new ArrayList<>();
        for (int k = 0; k < shardCount; k++) {
            list.add(shardCount == 1 ? new FingerprintIndex() : FingerprintIndex.shard(k, shardCount));
        }
        this.shards = List.copyOf(list);
        this.matcher = new Matcher(shards, config, thresholds);
    }

    /** The extraction tunables. */
    public FingerprintConfig config() {
        return config;
    }

    /** The first (or only) in-memory index shard (read-only use: sizes, membership). */
    public FingerprintIndex index() {
        return shards.get(0);
    }

    /** All in-memory index shards. */
    public List<FingerprintIndex> shards() {
        return shards;
    }

    /** The store the index lives in. */
    public IndexStore store() {
        return store;
    }

    /**
     * Fingerprints audio as a reference.
     *
     * @throws IllegalArgumentException if the PCM is not at the configured sample rate
     */
    public Fingerprints fingerprint(Pcm pcm) {
        return extractor.extract(pcm);
    }

    /**
     * Fingerprints a chunk for matching, e.g. to match it later with {@link #identify(QueryFingerprints)}.
     *
     * @throws IllegalArgumentException if the PCM is not at the configured sample rate
     */
    public QueryFingerprints fingerprintQuery(Pcm chunk) {
        return extractor.extractQuery(chunk);
    }

    /**
     * The audio's local peaks ({@link FingerprintExtractor#localPeaks}, within {@value #LOCAL_PEAK_FRAMES} frames
     * and {@value #LOCAL_PEAK_BINS} bins) as a query without triplets: only for {@link #anchorSupport} and
     * {@link #anchorsPresent}, which then see a known placement of a track under speech or noise that hides it
     * from the fingerprints' peaks (at a higher chance rate). About as costly as {@link #fingerprintQuery}: give
     * it only the stretch of audio that needs it.
     *
     * @throws IllegalArgumentException if the PCM is not at the configured sample rate
     */
    public QueryFingerprints localPeakQuery(Pcm audio) {
        float[][] peaks = extractor.localPeaks(audio, LOCAL_PEAK_FRAMES, LOCAL_PEAK_BINS);
        int durationFrames = (int) Math.round(audio.samples().length / (double) config.hopSize());
        return new QueryFingerprints(new float[0], new float[0], new float[0], new int[] {0}, new int[0],
                durationFrames, peaks[0], peaks[1]);
    }

    /**
     * Registers (or re-registers) a reference track: extracts, stores a delta segment, adds it to
     * the in-memory index.
     *
     * @return the track's fingerprints
     * @throws IllegalArgumentException on a bad track id or sample rate
     */
    public Fingerprints register(String trackId, Pcm pcm) {
        Fingerprints fps = extractor.extract(pcm);
        store.addTrack(trackId, fps);
        for (FingerprintIndex shard : shards) {
            shard.add(trackId, fps);
        }
        return fps;
    }

    /** Removes a reference track from the store (tombstone) and from this engine's index. */
    public void remove(String trackId) {
        store.remove(trackId);
        for (FingerprintIndex shard : shards) {
            shard.remove(trackId);
        }
    }

    /** Loads tracks registered (or removed) elsewhere since the last refresh. */
    public IndexStore.RefreshResult refresh() {
        return store.refresh(shards.toArray(FingerprintIndex[]::new));
    }

    /**
     * Identifies the reference tracks in a chunk.
     *
     * @param chunk mono audio at the configured rate
     * @return matches passing the thresholds, best first (two when the chunk spans a change of song)
     */
    public List<Match> identify(Pcm chunk) {
        return matcher.match(extractor.extractQuery(chunk));
    }

    /** Matches already-extracted query fingerprints (from {@link #fingerprintQuery}); see {@link Matcher#match}. */
    public List<Match> identify(QueryFingerprints query) {
        return matcher.match(query);
    }

    /**
     * {@link #identify(QueryFingerprints)}, noting thread CPU time per step and shard (for benches).
     *
     * @param profile a profile made for {@link #shards()}{@code .size()} shards
     * @throws IllegalArgumentException if the profile was made for another number of shards
     */
    public List<Match> identify(QueryFingerprints query, MatchProfile profile) {
        return matcher.match(query, profile);
    }

    /**
     * Where in some audio a known placement of a track is supported (for play boundaries finer
     * than the chunk that found the track): times of the triplets that agree with it.
     *
     * @param audio           mono audio at the configured rate
     * @param trackId         the track
     * @param trackOffsetMs   track position of the audio's first sample, ms
     * @param timeScale       track ms per audio ms (see {@link Match#timeScale()})
     * @param frequencyFactor see {@link Match#frequencyFactor()}
     * @return {start, end} ms from the audio's start of each supporting triplet (two arrays, sorted by start)
     */
    public long[][] support(Pcm audio, String trackId, long trackOffsetMs, double timeScale, double frequencyFactor) {
        float[][] frames = matcher.supportOfLine(extractor.extractQuery(audio), trackId, timeScale,
                trackOffsetMs / config.frameMs(), frequencyFactor);
        long[] starts = new long[frames[0].length];
        long[] ends = new long[starts.length];
        for (int i = 0; i < starts.length; i++) {
            starts[i] = config.framesToMs(frames[0][i]);
            ends[i] = config.framesToMs(frames[1][i]);
        }
        return new long[][] {starts, ends};
    }

    /**
     * Where a known placement of a track is audible peak by peak, for play boundaries where too few
     * triplets survive (a DJ talking over an intro): the track's anchor peaks that the placement puts
     * inside the audio, each present among the audio's spectral peaks or not (see the matcher's peak
     * check, {@code docs/fingerprint-index.md}).
     *
     * @param audio           mono audio at the configured rate
     * @param trackId         the track
     * @param trackOffsetMs   track position of the audio's first sample, ms
     * @param timeScale       track ms per audio ms (see {@link Match#timeScale()})
     * @param frequencyFactor see {@link Match#frequencyFactor()}
     * @return the anchors in time order
     */
    public AnchorSupport anchorSupport(Pcm audio, String trackId, long trackOffsetMs, double timeScale,
                                       double frequencyFactor) {
        return anchorSupport(extractor.extractQuery(audio), trackId, trackOffsetMs, timeScale, frequencyFactor);
    }

    /**
     * {@link #anchorSupport(Pcm, String, long, double, double)} on fingerprints already extracted from the
     * audio ({@link #fingerprintQuery}), so a chunk that was just matched is not extracted twice.
     *
     * @param query           the audio's query fingerprints
     * @param trackId         the track
     * @param trackOffsetMs   track position of the audio's first sample, ms
     * @param timeScale       track ms per audio ms
     * @param frequencyFactor query frequency / track frequency
     * @return the anchors in time order (none when the track is not in the index)
     */
    public AnchorSupport anchorSupport(QueryFingerprints query, String trackId, long trackOffsetMs, double timeScale,
                                       double frequencyFactor) {
        PeakCheck.Presence p = matcher.anchorPresence(query, trackId, timeScale,
                trackOffsetMs / config.frameMs(), frequencyFactor);
        long[] times = new long[p.size()];
        for (int i = 0; i < times.length; i++) {
            times[i] = config.framesToMs(p.queryFrames()[i]);
        }
        return new AnchorSupport(times, p.present(), p.chanceRate());
    }

    /**
     * How many of a track's anchor peaks that each of several placements puts inside some audio are present among
     * its spectral peaks: {@link #anchorSupport} without the chance rate (a sixteenth of the work), for comparing
     * placements; the track's anchors are read once.
     *
     * @param query           the audio's query fingerprints
     * @param trackId         the track
     * @param trackOffsetsMs  each placement's track position of the audio's first sample, ms
     * @param timeScales      each placement's track ms per audio ms (as many as offsets)
     * @param frequencyFactor query frequency / track frequency
     * @return the number of present anchors of each placement (zeros when the track is not in the index)
     * @throws IllegalArgumentException when the arrays differ in length
     */
    public int[] anchorsPresent(QueryFingerprints query, String trackId, double[] trackOffsetsMs, double[] timeScales,
                                double frequencyFactor) {
        if (trackOffsetsMs.length != timeScales.length) {
            throw new IllegalArgumentException("as many offsets as time scales needed: " + trackOffsetsMs.length
                    + " and " + timeScales.length);
        }
        double[] offsetFrames = new double[trackOffsetsMs.length];
        for (int i = 0; i < offsetFrames.length; i++) {
            offsetFrames[i] = trackOffsetsMs[i] / config.frameMs();
        }
        return matcher.anchorsPresent(query, trackId, timeScales, offsetFrames, frequencyFactor);
    }

    /**
     * Where a track's own content begins and ends: the times of its first and last anchor peaks, ms from the
     * track's first sample (a track that opens with silence has its first anchor after it).
     *
     * @return {first, last} ms, or null when the track is not in the index or has no anchors
     */
    public long[] anchorRangeMs(String trackId) {
        int[] frames = matcher.anchors(trackId, 0, Integer.MAX_VALUE)[0];
        return frames.length == 0 ? null
                : new long[] {config.framesToMs(frames[0]), config.framesToMs(frames[frames.length - 1])};
    }

    /**
     * A track's anchor peaks along a placement in some audio ({@link #anchorSupport}).
     *
     * @param timesMs    where each anchor falls, ms from the audio's start, ascending
     * @param present    whether the audio has a spectral peak there
     * @param chanceRate the share of the same anchors present when moved off the placement (what
     *                   chance gives in this audio)
     */
    public record AnchorSupport(long[] timesMs, boolean[] present, double chanceRate) {
        /** Number of anchors with times in {@code [fromMs, toMs)}. */
        public int count(long fromMs, long toMs) {
            int n = 0;
            for (long t : timesMs) {
                n += t >= fromMs && t < toMs ? 1 : 0;
            }
            return n;
        }

        /**
         * How far the share of present anchors with times in {@code [fromMs, toMs)} stands above the
         * chance rate, in binomial standard deviations (NaN when there are none).
         */
        public double z(long fromMs, long toMs) {
            int n = 0;
            int k = 0;
            for (int i = 0; i < timesMs.length; i++) {
                if (timesMs[i] >= fromMs && timesMs[i] < toMs) {
                    n++;
                    k += present[i] ? 1 : 0;
                }
            }
            return n == 0 ? Double.NaN : PeakCheck.z(k, n, chanceRate);
        }

        /** Time of the first present anchor in {@code [fromMs, toMs)}, or -1. */
        public long firstPresent(long fromMs, long toMs) {
            for (int i = 0; i < timesMs.length; i++) {
                if (present[i] && timesMs[i] >= fromMs && timesMs[i] < toMs) {
                    return timesMs[i];
                }
            }
            return -1;
        }
    }

    /** All candidates without thresholds, best first, for diagnostics; see {@link Matcher#candidates}. */
    public List<Match> candidates(Pcm chunk, int limit) {
        return matcher.candidates(extractor.extractQuery(chunk), limit);
    }

    /**
     * Whether a recording is already in the catalog: {@value #DUPLICATE_PROBES} clips of
     * {@value #DUPLICATE_PROBE_MS} ms spread over it are identified; it is a duplicate of a track
     * when a majority of them match that track at normal speed (time scale within 1 %) and at the
     * track positions where they were cut (within 1 s, after any shift of the whole recording, e.g.
     * a different lead-in). A different mix, edit or live version usually fails one of these; a
     * re-encode, a level change or a trimmed copy passes.
     *
     * @param pcm the recording, mono at the configured rate
     * @return the existing track, with {@link Match#trackOffsetMs()} the track position of the recording's
     *         first sample, the matched span of the recording and the summed aligned count of the
     *         agreeing probes; or empty
     */
    public Optional<Match> findDuplicate(Pcm pcm) {
        long duration = pcm.durationMs();
        if (duration < 5_000) {
            return Optional.empty();
        }
        long probe = Math.min(DUPLICATE_PROBE_MS, duration);
        List<Match> hits = new ArrayList<>();
        List<Long> starts = new ArrayList<>();
        for (int i = 0; i < DUPLICATE_PROBES; i++) {
            long from = (duration - probe) * (2L * i + 1) / (2L * DUPLICATE_PROBES);
            List<Match> m = identify(pcm.slice(from, from + probe));
            if (!m.isEmpty()) {
                hits.add(m.get(0));
                starts.add(from);
            }
        }
        for (int c = 0; c < hits.size(); c++) {
            Match candidate = hits.get(c);
            long shift = candidate.trackOffsetMs() - starts.get(c);
            int agree = 0;
            int aligned = 0;
            double confidence = 0;
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            for (int i = 0; i < hits.size(); i++) {
                Match m = hits.get(i);
                if (m.trackId().equals(candidate.trackId()) && Math.abs(m.timeScale() - 1) <= 0.01
                        && Math.abs(m.trackOffsetMs() - starts.get(i) - shift) <= 1_000) {
                    agree++;
                    aligned += m.alignedCount();
                    confidence = Math.max(confidence, m.confidence());
                    first = Math.min(first, starts.get(i) + m.matchStartMs());
                    last = Math.max(last, starts.get(i) + m.matchEndMs());
                }
            }
            if (agree * 2 > DUPLICATE_PROBES) {
                return Optional.of(new Match(candidate.trackId(), shift, first, last, aligned, confidence,
                        candidate.timeScale(), candidate.frequencyFactor()));
            }
        }
        return Optional.empty();
    }
}
