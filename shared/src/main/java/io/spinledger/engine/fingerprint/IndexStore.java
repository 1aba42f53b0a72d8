package io.spinledger.engine.fingerprint;

import io.spinledger.config.BucketName;
import io.spinledger.ports.ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.regex.Pattern;

/**
 * Keeps the fingerprint index as data in object storage (see {@code docs/fingerprint-index.md}):
 * <ul>
 *   <li>{@code index/segments/<millis>-delta-<trackId>.seg}: a delta segment, written when one
 *       track is registered;</li>
 *   <li>{@code index/segments/<millis>-base.seg}: a base segment, written by {@link #compact()},
 *       holding every live track of the segments it replaced;</li>
 *   <li>{@code index/tombstones/<trackId>}: an empty object marking a removed track (kept, so that
 *       warm matchers that have not yet seen it still drop the track).</li>
 * </ul>
 * {@code <millis>} is a 13-digit zero-padded write time, so key order is write order and a later
 * segment's copy of a track replaces an earlier one. Segments are immutable; compaction writes the
 * new base before deleting what it replaces, so a reader always finds every live track.
 * Track ids must match {@code [A-Za-z0-9._-]{1,200}} (they become object keys). Thread-safe if the
 * object store is.
 */
public final class IndexStore {
    /** Prefix of segment keys. */
    public static final String SEGMENTS_PREFIX = BucketName.INDEX_PREFIX + "segments/";
    /** Prefix of tombstone keys. */
    public static final String TOMBSTONES_PREFIX = BucketName.INDEX_PREFIX + "tombstones/";
    private static final String SEGMENT_SUFFIX = ".seg";
    private static final Pattern TRACK_ID = Pattern.compile("[A-Za-z0-9._-]{1,200}");
    private static final Logger LOG = LoggerFactory.getLogger(IndexStore.class);

    private final ObjectStore store;
    private final FingerprintConfig config;
    private final Clock clock;
    /** Segment keys each in-memory index has already loaded. */
    private final Map<FingerprintIndex, Set<String>> loaded = Collections.synchronizedMap(new WeakHashMap<>());

    /**
     * @param store  where segments live
     * @param config the extraction config; segments of another scheme are not loaded
     */
    public IndexStore(ObjectStore store, FingerprintConfig config) {
        this(store, config, Clock.systemUTC());
    }

    /**
     * @param store  where segments live
     * @param config the extraction config; segments of another scheme are not loaded
     * @param clock  time source for segment keys
     */
    public IndexStore(ObjectStore store, FingerprintConfig config, Clock clock) {
        this.store = store;
        this.config = config;
        this.clock = clock;
    }

    /** What a {@link #refresh} changed. @param added tracks loaded @param removed tracks dropped */
    public record RefreshResult(List<String> added, List<String> removed) {
    }

    /** What a {@link #compact()} did. @param segmentKey the new base @param tracks tracks in it @param replaced segments deleted */
    public record Compaction(String segmentKey, int tracks, int replaced) {
    }

    /**
     * Writes a delta segment for a track (a newer copy replaces older ones) and clears any tombstone.
     *
     * @return the segment's key
     * @throws IllegalArgumentException if the track id is not a valid key part
     */
    public String addTrack(String trackId, Fingerprints fingerprints) {
        requireTrackId(trackId);
        String key = SEGMENTS_PREFIX + stamp() + "-delta-" + trackId + SEGMENT_SUFFIX;
        store.put(key, IndexSegment.of(trackId, config.schemeId(), fingerprints).toBytes(), "application/octet-stream");
        store.delete(TOMBSTONES_PREFIX + trackId);
        return key;
    }

    /** Leaves a tombstone for a track and deletes its delta segments. A missing track is not an error. */
    public void remove(String trackId) {
        requireTrackId(trackId);
        store.put(TOMBSTONES_PREFIX + trackId, new byte[0], "application/octet-stream");
        for (String key : segmentKeys()) {
            if (key.endsWith("-delta-" + trackId + SEGMENT_SUFFIX)) {
                store.delete(key);
            }
        }
    }

    /** The newest stored copy of one track's fingerprints, if any (and not removed). */
    public Optional<Fingerprints> load(String trackId) {
        requireTrackId(trackId);
        if (tombstones().contains(trackId)) {
            return Optional.empty();
        }
        Fingerprints found = null;
        for (String key : segmentKeys()) {
            Optional<IndexSegment> s = read(key);
            if (s.isPresent() && s.get().tracks().containsKey(trackId)) {
                found = s.get().tracks().get(trackId);
            }
        }
        return Optional.ofNullable(found);
    }

    /** The ids of all stored, not removed tracks. */
    public Set<String> trackIds() {
        Set<String> ids = new LinkedHashSet<>();
        for (String key : segmentKeys()) {
            read(key).ifPresent(s -> ids.addAll(s.tracks().keySet()));
        }
        ids.removeAll(tombstones());
        return ids;
    }

    /** Segment keys, in write order. */
    public List<String> segmentKeys() {
        List<String> keys = new ArrayList<>();
        for (String key : store.list(SEGMENTS_PREFIX)) {
            if (key.endsWith(SEGMENT_SUFFIX)) {
                keys.add(key);
            }
        }
        Collections.sort(keys);
        return keys;
    }

    /**
     * Brings in-memory index shards up to date: loads segments they have not loaded yet (each
     * shard keeps its hash range) and drops tombstoned tracks. Costs one listing plus one read per
     * new segment, so a warm matcher can call it often. A base segment whose tracks are all
     * already loaded (a compaction of what the shard holds) is only marked as loaded. Unreadable
     * segments and segments of another extraction scheme are logged and skipped.
     *
     * @param shards the shards to update (one index, or several covering the hash space)
     * @return which tracks were added and removed (by the first shard's view)
     */
    public RefreshResult refresh(FingerprintIndex... shards) {
        Set<String> tombstones = tombstones();
        List<String> keys = segmentKeys();
        Set<String> added = new LinkedHashSet<>();
        Set<String> removed = new LinkedHashSet<>();
        Map<String, IndexSegment> cache = new LinkedHashMap<>();
        for (int s = 0; s < shards.length; s++) {
            FingerprintIndex index = shards[s];
            Set<String> done = loaded.computeIfAbsent(index, i -> Collections.synchronizedSet(new HashSet<>()));
            Map<String, Fingerprints> fresh = new LinkedHashMap<>();
            for (String key : keys) {
                if (done.contains(key)) {
                    continue;
                }
                Optional<IndexSegment> segment = Optional.ofNullable(cache.get(key));
                if (segment.isEmpty()) {
                    segment = read(key);
                    segment.ifPresent(seg -> cache.put(key, seg));
                }
                if (segment.isEmpty()) {
                    continue;
                }
                boolean base = key.endsWith("-base" + SEGMENT_SUFFIX);
                for (Map.Entry<String, Fingerprints> e : segment.get().tracks().entrySet()) {
                    if (tombstones.contains(e.getKey()) || (base && index.contains(e.getKey()))) {
                        continue;
                    }
                    fresh.put(e.getKey(), e.getValue());
                }
                done.add(key);
            }
            index.addAll(fresh);
            if (s == 0) {
                added.addAll(fresh.keySet());
            }
            for (String trackId : tombstones) {
                if (index.remove(trackId) && s == 0) {
                    removed.add(trackId);
                }
            }
        }
        return new RefreshResult(List.copyOf(added), List.copyOf(removed));
    }

    /**
     * Merges every segment into one base segment without removed tracks (a later copy of a track
     * wins), writes it, then deletes the segments it replaced. Safe to run beside matchers and
     * registrations: a delta written during compaction is not replaced and stays.
     *
     * @return what was merged
     */
    public Compaction compact() {
        List<String> keys = segmentKeys();
        Set<String> tombstones = tombstones();
        Map<String, Fingerprints> tracks = new LinkedHashMap<>();
        List<String> replaced = new ArrayList<>();
        for (String key : keys) {
            Optional<IndexSegment> s = read(key);
            if (s.isEmpty()) {
                continue;
            }
            replaced.add(key);
            for (Map.Entry<String, Fingerprints> e : s.get().tracks().entrySet()) {
                if (!tombstones.contains(e.getKey())) {
                    tracks.remove(e.getKey());
                    tracks.put(e.getKey(), e.getValue());
                }
            }
        }
        String key = SEGMENTS_PREFIX + stamp() + "-base" + SEGMENT_SUFFIX;
        store.put(key, new IndexSegment(config.schemeId(), tracks).toBytes(), "application/octet-stream");
        for (String old : replaced) {
            if (!old.equals(key)) {
                store.delete(old);
            }
        }
        LOG.info("index compacted: {} segments -> {} ({} tracks)", replaced.size(), key, tracks.size());
        return new Compaction(key, tracks.size(), replaced.size());
    }

    private Optional<IndexSegment> read(String key) {
        Optional<byte[]> bytes = store.get(key);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        try {
            IndexSegment segment = IndexSegment.fromBytes(bytes.get());
            if (segment.schemeId() != config.schemeId()) {
                LOG.warn("skipping index segment {}: made by extraction scheme {}, this matcher uses {}",
                        key, segment.schemeId(), config.schemeId());
                return Optional.empty();
            }
            return Optional.of(segment);
        } catch (IllegalArgumentException e) {
            LOG.warn("skipping unreadable index segment {}: {}", key, e.getMessage());
            return Optional.empty();
        }
    }

    private Set<String> tombstones() {
        Set<String> ids = new HashSet<>();
        for (String key : store.list(TOMBSTONES_PREFIX)) {
            ids.add(key.substring(TOMBSTONES_PREFIX.length()));
        }
        return ids;
    }

    private synchronized String stamp() {
        long now = clock.millis();
        if (now <= lastStamp) {
            now = lastStamp + 1;
        }
        lastStamp = now;
        return String.format("%013d", now);
    }

    private long lastStamp;

    private static void requireTrackId(String trackId) {
        if (trackId == null || !TRACK_ID.matcher(trackId).matches()) {
            throw new IllegalArgumentException("track id must match " + TRACK_ID.pattern() + ": " + trackId);
        }
    }
}
