package io.spinledger.fingerprint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The in-memory reference index: hash -> postings (track ordinal, frame), held in a few immutable
 * runs of primitive arrays sorted by hash (a small log-structured merge: a new track becomes a run,
 * and runs of similar size are merged, so adding n tracks one by one costs O(n log n) copying).
 * About 12 bytes per posting.
 *
 * <p>Thread-safe: readers work on an immutable snapshot without locking; {@link #add},
 * {@link #addAll} and {@link #remove} are serialised and publish a new snapshot atomically.
 * Re-adding a track id replaces its postings.
 */
public final class FingerprintIndex {
    /** Track ordinals fit the matcher's packed hit keys. */
    static final int MAX_TRACKS = 1 << 21;

    private volatile Snapshot snapshot = new Snapshot(List.of(), new String[0], Map.of(), 0);

    /**
     * Adds (or replaces) one track.
     *
     * @param trackId      the track's id
     * @param fingerprints its fingerprints
     */
    public void add(String trackId, Fingerprints fingerprints) {
        addAll(Map.of(trackId, fingerprints));
    }

    /**
     * Adds (or replaces) several tracks in one step: readers see all of them or none.
     *
     * @param tracks fingerprints by track id
     * @throws IllegalStateException if the index would exceed {@value #MAX_TRACKS} track ordinals
     */
    public synchronized void addAll(Map<String, Fingerprints> tracks) {
        if (tracks.isEmpty()) {
            return;
        }
        Snapshot s = snapshot;
        if ((long) s.trackIds.length + tracks.size() > MAX_TRACKS) {
            throw new IllegalStateException("index full: more than " + MAX_TRACKS + " track ordinals; rebuild it");
        }
        String[] ids = Arrays.copyOf(s.trackIds, s.trackIds.length + tracks.size());
        Map<String, Integer> ordinals = new HashMap<>(s.ordinals);
        int removedPostings = s.removedPostings;
        List<Run> runs = new ArrayList<>(s.runs);
        int next = s.trackIds.length;
        for (Map.Entry<String, Fingerprints> e : tracks.entrySet()) {
            Integer old = ordinals.get(e.getKey());
            if (old != null) {
                ids[old] = null;
                removedPostings += countPostings(s, old);
            }
            int ordinal = next++;
            ids[ordinal] = e.getKey();
            ordinals.put(e.getKey(), ordinal);
            removedPostings -= push(runs, Run.of(ordinal, e.getValue()), ids);
        }
        snapshot = compactIfNeeded(new Snapshot(List.copyOf(runs), ids, Map.copyOf(ordinals), removedPostings));
    }

    /**
     * Removes a track; its postings are dropped at the next merge.
     *
     * @return whether the track was in the index
     */
    public synchronized boolean remove(String trackId) {
        Snapshot s = snapshot;
        Integer ordinal = s.ordinals.get(trackId);
        if (ordinal == null) {
            return false;
        }
        String[] ids = s.trackIds.clone();
        ids[ordinal] = null;
        Map<String, Integer> ordinals = new HashMap<>(s.ordinals);
        ordinals.remove(trackId);
        snapshot = compactIfNeeded(new Snapshot(s.runs, ids, Map.copyOf(ordinals),
                s.removedPostings + countPostings(s, ordinal)));
        return true;
    }

    /** Whether a track is in the index. */
    public boolean contains(String trackId) {
        return snapshot.ordinals.containsKey(trackId);
    }

    /** The ids of the tracks in the index, in no particular order. */
    public Set<String> trackIds() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(snapshot.ordinals.keySet()));
    }

    /** Number of tracks in the index. */
    public int trackCount() {
        return snapshot.ordinals.size();
    }

    /** Number of live postings (hash occurrences) across all tracks. */
    public long postingCount() {
        Snapshot s = snapshot;
        long total = 0;
        for (Run r : s.runs) {
            total += r.hashes.length;
        }
        return total - s.removedPostings;
    }

    /** The current immutable view, for one consistent query. */
    View view() {
        return snapshot;
    }

    /** A consistent read-only view of the index. */
    interface View {
        /** Calls {@code sink} for every posting of {@code hash} whose track is live. */
        void forEachPosting(int hash, PostingSink sink);

        /** The track id of a live ordinal (null if removed). */
        String trackId(int ordinal);
    }

    /** Receives one posting. */
    @FunctionalInterface
    interface PostingSink {
        void accept(int trackOrdinal, int frame);
    }

    // ---- internals ----

    private static int countPostings(Snapshot s, int ordinal) {
        int n = 0;
        for (Run r : s.runs) {
            for (int t : r.tracks) {
                if (t == ordinal) {
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * Appends a run, merging the tail while the previous run is not much larger.
     *
     * @return postings of removed tracks dropped by the merges
     */
    private static int push(List<Run> runs, Run run, String[] liveIds) {
        runs.add(run);
        int dropped = 0;
        while (runs.size() >= 2) {
            Run last = runs.get(runs.size() - 1);
            Run prev = runs.get(runs.size() - 2);
            if (prev.hashes.length > 2 * last.hashes.length) {
                break;
            }
            runs.remove(runs.size() - 1);
            Run merged = Run.merge(prev, last, liveIds);
            dropped += prev.hashes.length + last.hashes.length - merged.hashes.length;
            runs.set(runs.size() - 1, merged);
        }
        return dropped;
    }

    /** Rewrites everything into one run once removed postings are a quarter of the index. */
    private static Snapshot compactIfNeeded(Snapshot s) {
        long total = 0;
        for (Run r : s.runs) {
            total += r.hashes.length;
        }
        if (s.removedPostings == 0 || s.removedPostings * 4L < total) {
            return s;
        }
        Run all = new Run(new int[0], new int[0], new int[0]);
        for (Run r : s.runs) {
            all = Run.merge(all, r, s.trackIds);
        }
        return new Snapshot(all.hashes.length == 0 ? List.of() : List.of(all), s.trackIds, s.ordinals, 0);
    }

    private record Snapshot(List<Run> runs, String[] trackIds, Map<String, Integer> ordinals,
                            int removedPostings) implements View {
        @Override
        public void forEachPosting(int hash, PostingSink sink) {
            for (Run run : runs) {
                int[] h = run.hashes;
                int i = lowerBound(h, hash);
                for (; i < h.length && h[i] == hash; i++) {
                    int t = run.tracks[i];
                    if (trackIds[t] != null) {
                        sink.accept(t, run.frames[i]);
                    }
                }
            }
        }

        @Override
        public String trackId(int ordinal) {
            return trackIds[ordinal];
        }

        private static int lowerBound(int[] a, int key) {
            int lo = 0;
            int hi = a.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (a[mid] < key) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }
    }

    /** Postings sorted by hash (ties in any order), as parallel arrays. */
    private record Run(int[] hashes, int[] tracks, int[] frames) {

        static Run of(int ordinal, Fingerprints fps) {
            int n = fps.size();
            long[] keys = new long[n];
            for (int i = 0; i < n; i++) {
                keys[i] = ((long) fps.hashes()[i] << 32) | (fps.frames()[i] & 0xffffffffL);
            }
            Arrays.sort(keys);
            int[] hashes = new int[n];
            int[] frames = new int[n];
            int[] tracks = new int[n];
            Arrays.fill(tracks, ordinal);
            for (int i = 0; i < n; i++) {
                hashes[i] = (int) (keys[i] >>> 32);
                frames[i] = (int) keys[i];
            }
            return new Run(hashes, tracks, frames);
        }

        /** Merges two runs, dropping postings of removed tracks. */
        static Run merge(Run a, Run b, String[] liveIds) {
            int n = a.hashes.length + b.hashes.length;
            int[] hashes = new int[n];
            int[] tracks = new int[n];
            int[] frames = new int[n];
            int i = 0;
            int j = 0;
            int k = 0;
            while (i < a.hashes.length || j < b.hashes.length) {
                Run src;
                int at;
                if (j >= b.hashes.length || (i < a.hashes.length && a.hashes[i] <= b.hashes[j])) {
                    src = a;
                    at = i++;
                } else {
                    src = b;
                    at = j++;
                }
                if (liveIds[src.tracks[at]] == null) {
                    continue;
                }
                hashes[k] = src.hashes[at];
                tracks[k] = src.tracks[at];
                frames[k] = src.frames[at];
                k++;
            }
            return k == n ? new Run(hashes, tracks, frames)
                    : new Run(Arrays.copyOf(hashes, k), Arrays.copyOf(tracks, k), Arrays.copyOf(frames, k));
        }
    }
}
