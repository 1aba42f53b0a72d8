package io.spinledger.fingerprint;

import io.spinledger.config.BucketName;
import io.spinledger.storage.ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Keeps the fingerprint index as data in object storage: one {@link IndexSegment} per track at
 * {@code index/segments/<trackId>.seg}, and an empty tombstone at {@code index/tombstones/<trackId>}
 * for a removed track, so warm matchers drop it on their next {@link #refresh}.
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

    /**
     * @param store  where segments live
     * @param config the extraction config; segments of another scheme are not loaded
     */
    public IndexStore(ObjectStore store, FingerprintConfig config) {
        this.store = store;
        this.config = config;
    }

    /** What a {@link #refresh} changed. @param added tracks loaded @param removed tracks dropped */
    public record RefreshResult(List<String> added, List<String> removed) {
    }

    /**
     * Writes a track's segment (replacing an older one) and clears any tombstone.
     *
     * @throws IllegalArgumentException if the track id is not a valid key part
     */
    public void addTrack(String trackId, Fingerprints fingerprints) {
        requireTrackId(trackId);
        byte[] bytes = new IndexSegment(trackId, config.schemeId(), fingerprints).toBytes();
        store.put(segmentKey(trackId), bytes, "application/octet-stream");
        store.delete(TOMBSTONES_PREFIX + trackId);
    }

    /** Deletes a track's segment and leaves a tombstone. A missing track is not an error. */
    public void remove(String trackId) {
        requireTrackId(trackId);
        store.put(TOMBSTONES_PREFIX + trackId, new byte[0], "application/octet-stream");
        store.delete(segmentKey(trackId));
    }

    /** The stored segment of one track, if any (and readable). */
    public java.util.Optional<IndexSegment> load(String trackId) {
        requireTrackId(trackId);
        return store.get(segmentKey(trackId)).map(IndexSegment::fromBytes);
    }

    /** The ids of all stored tracks, in key order. */
    public List<String> trackIds() {
        List<String> ids = new ArrayList<>();
        for (String key : store.list(SEGMENTS_PREFIX)) {
            if (key.endsWith(SEGMENT_SUFFIX)) {
                ids.add(key.substring(SEGMENTS_PREFIX.length(), key.length() - SEGMENT_SUFFIX.length()));
            }
        }
        return ids;
    }

    /**
     * Brings an in-memory index up to date: loads the segments of tracks it does not hold yet (all
     * in one merge) and removes tombstoned tracks. Costs one listing plus one read per new
     * segment, so a warm matcher can call it often. Unreadable segments and segments of another
     * extraction scheme are logged and skipped (retried next time).
     *
     * @param index the index to update
     * @return which tracks were added and removed
     */
    public RefreshResult refresh(FingerprintIndex index) {
        Map<String, Fingerprints> fresh = new LinkedHashMap<>();
        for (String trackId : trackIds()) {
            if (index.contains(trackId)) {
                continue;
            }
            store.get(segmentKey(trackId)).ifPresent(bytes -> {
                try {
                    IndexSegment segment = IndexSegment.fromBytes(bytes);
                    if (segment.schemeId() != config.schemeId()) {
                        LOG.warn("skipping index segment {}: made by extraction scheme {}, this matcher uses {}",
                                trackId, segment.schemeId(), config.schemeId());
                    } else {
                        fresh.put(trackId, segment.fingerprints());
                    }
                } catch (IllegalArgumentException e) {
                    LOG.warn("skipping unreadable index segment {}: {}", trackId, e.getMessage());
                }
            });
        }
        index.addAll(fresh);
        List<String> removed = new ArrayList<>();
        for (String key : store.list(TOMBSTONES_PREFIX)) {
            String trackId = key.substring(TOMBSTONES_PREFIX.length());
            if (index.remove(trackId)) {
                removed.add(trackId);
            }
        }
        return new RefreshResult(List.copyOf(fresh.keySet()), List.copyOf(removed));
    }

    private static String segmentKey(String trackId) {
        return SEGMENTS_PREFIX + trackId + SEGMENT_SUFFIX;
    }

    private static void requireTrackId(String trackId) {
        if (trackId == null || !TRACK_ID.matcher(trackId).matches()) {
            throw new IllegalArgumentException("track id must match " + TRACK_ID.pattern() + ": " + trackId);
        }
    }
}
