package io.spinledger.fingerprint;

import io.spinledger.audio.Pcm;

import java.util.List;

/**
 * What the functions call: fingerprint audio, register reference tracks, identify chunks. Holds
 * one in-memory {@link FingerprintIndex} kept in step with the {@link IndexStore}; keep the engine
 * across warm invocations and call {@link #refresh()} to pick up tracks other instances registered.
 * Thread-safe.
 */
public final class FingerprintEngine {
    private final FingerprintConfig config;
    private final FingerprintExtractor extractor;
    private final FingerprintIndex index = new FingerprintIndex();
    private final IndexStore store;
    private final Matcher matcher;

    /**
     * An engine with an empty index; call {@link #refresh()} to load the stored one.
     *
     * @param config     extraction tunables (PCM must be at {@link FingerprintConfig#sampleRateHz()})
     * @param thresholds when a candidate is a match
     * @param store      where the index segments live
     */
    public FingerprintEngine(FingerprintConfig config, MatchThresholds thresholds, IndexStore store) {
        this.config = config;
        this.extractor = new FingerprintExtractor(config);
        this.store = store;
        this.matcher = new Matcher(index, config, thresholds);
    }

    /** The extraction tunables. */
    public FingerprintConfig config() {
        return config;
    }

    /** The in-memory index (read-only use: sizes, membership). */
    public FingerprintIndex index() {
        return index;
    }

    /**
     * Fingerprints audio as a reference (one analysis grid); queries use
     * {@link FingerprintExtractor#extractQuery}.
     *
     * @throws IllegalArgumentException if the PCM is not at the configured sample rate
     */
    public Fingerprints fingerprint(Pcm pcm) {
        return extractor.extract(pcm);
    }

    /**
     * Fingerprints a chunk for matching (pooled over the configured grid shifts), e.g. to match it
     * later with {@link #identify(Fingerprints)}.
     *
     * @throws IllegalArgumentException if the PCM is not at the configured sample rate
     */
    public Fingerprints fingerprintQuery(Pcm chunk) {
        return extractor.extractQuery(chunk);
    }

    /**
     * Registers (or re-registers) a reference track: extracts, stores its segment, adds it to the
     * in-memory index.
     *
     * @return the track's fingerprints
     * @throws IllegalArgumentException on a bad track id or sample rate
     */
    public Fingerprints register(String trackId, Pcm pcm) {
        Fingerprints fps = extractor.extract(pcm);
        store.addTrack(trackId, fps);
        index.add(trackId, fps);
        return fps;
    }

    /** Removes a reference track from the store (tombstone) and from this engine's index. */
    public void remove(String trackId) {
        store.remove(trackId);
        index.remove(trackId);
    }

    /** Loads tracks registered (or removed) elsewhere since the last refresh. */
    public IndexStore.RefreshResult refresh() {
        return store.refresh(index);
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

    /**
     * Matches already-extracted query fingerprints (from {@link #fingerprintQuery}); see
     * {@link Matcher#match}.
     */
    public List<Match> identify(Fingerprints query) {
        return matcher.match(query);
    }

    /** All candidates without thresholds, best first, for diagnostics; see {@link Matcher#candidates}. */
    public List<Match> candidates(Pcm chunk, int limit) {
        return matcher.candidates(extractor.extractQuery(chunk), limit);
    }
}
