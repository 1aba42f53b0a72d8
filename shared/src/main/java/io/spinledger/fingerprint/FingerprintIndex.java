package io.spinledger.fingerprint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The in-memory reference index of one hash-range shard: hash -> postings (track, frame, pitch).
 *
 * <p>Layout (6 bytes per posting plus a 256 KiB directory per run): postings live in a few
 * immutable runs; a run is sorted by hash and holds a directory {@code int[2^16 + 1]} indexed by the
 * hash's top 16 bits, a {@code short[]} of (hash low 8 bits &lt;&lt; 8 | anchor pitch) and an
 * {@code int[]} of global frames. Every track owns a range of global frames
 * ({@code base .. base + length}), so one int names both the track and the frame; the track is
 * found by binary search over the bases, only for hits. A new track becomes a run and runs of
 * similar size are merged (a small log-structured merge), so adding n tracks one by one costs
 * O(n log n) copying and a query looks at O(log n) runs.
 *
 * <p>Sharding: an index made with {@link #shard(int, int)} keeps only the hashes of its range
 * ({@code [k * 2^24 / n, (k + 1) * 2^24 / n)}); the {@link Matcher} asks every shard and combines
 * the hits, so shards can live in separate processes.
 *
 * <p>Thread-safe: readers work on an immutable snapshot without locking; {@link #add},
 * {@link #addAll} and {@link #remove} are serialised and publish a new snapshot atomically.
 * Re-adding a track id replaces its postings.
 */
public final class FingerprintIndex {
    static final int HASH_SPACE = 1 << FingerprintConfig.MAX_HASH_BITS;
    private static final int DIR_SHIFT = FingerprintConfig.MAX_HASH_BITS - 16;
    private static final int DIR_SIZE = 1 << 16;
    /**
     * A hash with more postings than this in one run is skipped at query time, like a stop word
     * (Olaf's maxDBCollisions plays the same role): it carries little evidence and costs most of
     * the matching time.
     */
    static final int MAX_POSTINGS_PER_KEY = 2_000;
    /** Frames left between two tracks' global ranges. */
    private static final int GAP_FRAMES = 64;

    private final int hashFrom;
    private final int hashTo;
    private volatile Snapshot snapshot = Snapshot.EMPTY;

    /** An index holding every hash (one shard of one). */
    public FingerprintIndex() {
        this(0, HASH_SPACE);
    }

    private FingerprintIndex(int hashFrom, int hashTo) {
        this.hashFrom = hashFrom;
        this.hashTo = hashTo;
    }

    /**
     * An index that keeps only shard {@code k} of {@code n} of the hash space.
     *
     * @throws IllegalArgumentException unless 0 &lt;= k &lt; n &lt;= 256
     */
    public static FingerprintIndex shard(int k, int n) {
        if (n < 1 || n > 256 || k < 0 || k >= n) {
            throw new IllegalArgumentException("shard " + k + " of " + n + ": need 0 <= k < n <= 256");
        }
        return new FingerprintIndex((int) ((long) k * HASH_SPACE / n), (int) ((long) (k + 1) * HASH_SPACE / n));
    }

    /** First hash of this shard's range (inclusive). */
    public int hashFrom() {
        return hashFrom;
    }

    /** End of this shard's hash range (exclusive). */
    public int hashTo() {
        return hashTo;
    }

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
     * @throws IllegalStateException if the global frame space (2^31 frames) is exhausted
     */
    public synchronized void addAll(Map<String, Fingerprints> tracks) {
        if (tracks.isEmpty()) {
            return;
        }
        Snapshot s = snapshot;
        List<TrackEntry> entries = new ArrayList<>(s.tracks);
        Map<String, Integer> ordinals = new HashMap<>(s.ordinals);
        long next = s.nextBase;
        List<Run> runs = new ArrayList<>(s.runs);
        long removed = s.removedPostings;
        List<long[]> fresh = new ArrayList<>();
        for (Map.Entry<String, Fingerprints> e : tracks.entrySet()) {
            Integer old = ordinals.get(e.getKey());
            if (old != null) {
                TrackEntry o = entries.get(old);
                entries.set(old, o.dead());
                removed += o.postings;
            }
            Fingerprints fps = e.getValue();
            long base = next;
            next = base + fps.spanFrames() + GAP_FRAMES;
            if (next > Integer.MAX_VALUE) {
                throw new IllegalStateException("index global frame space exhausted; rebuild it");
            }
            long[] keys = keys(fps, (int) base);
            ordinals.put(e.getKey(), entries.size());
            entries.add(new TrackEntry(e.getKey(), (int) base, keys.length, true));
            fresh.add(keys);
        }
        int[] bases = bases(entries);
        boolean[] live = live(entries);
        int total = 0;
        for (long[] k : fresh) {
            total += k.length;
        }
        long[] all = new long[total];
        int at = 0;
        for (long[] k : fresh) {
            System.arraycopy(k, 0, all, at, k.length);
            at += k.length;
        }
        Arrays.sort(all);
        removed -= push(runs, Run.of(all), bases, live);
        snapshot = compactIfNeeded(new Snapshot(List.copyOf(runs), List.copyOf(entries), Map.copyOf(ordinals),
                bases, live, next, removed));
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
        List<TrackEntry> entries = new ArrayList<>(s.tracks);
        TrackEntry old = entries.get(ordinal);
        entries.set(ordinal, old.dead());
        Map<String, Integer> ordinals = new HashMap<>(s.ordinals);
        ordinals.remove(trackId);
        snapshot = compactIfNeeded(new Snapshot(s.runs, List.copyOf(entries), Map.copyOf(ordinals), s.bases,
                live(entries), s.nextBase, s.removedPostings + old.postings));
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

    /** Number of live postings (stored fingerprints in this shard) across all tracks. */
    public long postingCount() {
        Snapshot s = snapshot;
        long total = 0;
        for (Run r : s.runs) {
            total += r.frames.length;
        }
        return total - s.removedPostings;
    }

    /** Bytes held by postings and directories (not counting track ids), for memory reports. */
    public long memoryBytes() {
        long bytes = 0;
        for (Run r : snapshot.runs) {
            bytes += 6L * r.frames.length + 4L * r.dir.length;
        }
        return bytes;
    }

    /** Number of runs (1 after {@link #compact()}). */
    public int runCount() {
        return snapshot.runs.size();
    }

    /** Merges all runs into one and drops removed tracks' postings. */
    public synchronized void compact() {
        snapshot = compactAll(snapshot);
    }

    /** The current immutable view, for one consistent query. */
    View view() {
        return snapshot;
    }

    /** A consistent read-only view of the index. */
    interface View {
        /** Calls {@code sink} for every posting of {@code hash} whose track is live. */
        void forEachPosting(int hash, PostingSink sink);

        /** The track id of an ordinal. */
        String trackId(int ordinal);

        /** The ordinal of a live track, or -1. */
        int ordinal(String trackId);

        /** Number of postings the track was added with. */
        int postings(int ordinal);
    }

    /** Receives one posting. */
    @FunctionalInterface
    interface PostingSink {
        void accept(int trackOrdinal, int frame, int pitch);
    }

    // ---- internals ----

    private long[] keys(Fingerprints fps, int base) {
        int n = fps.size();
        long[] keys = new long[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            int h = fps.hashes()[i];
            if (h < hashFrom || h >= hashTo) {
                continue;
            }
            keys[k++] = Run.key(h, fps.pitches()[i] & 0xff, base + fps.frames()[i]);
        }
        return k == n ? keys : Arrays.copyOf(keys, k);
    }

    private static int[] bases(List<TrackEntry> entries) {
        int[] b = new int[entries.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = entries.get(i).base;
        }
        return b;
    }

    private static boolean[] live(List<TrackEntry> entries) {
        boolean[] l = new boolean[entries.size()];
        for (int i = 0; i < l.length; i++) {
            l[i] = entries.get(i).live;
        }
        return l;
    }

    /** Appends a run, merging the tail while the previous run is not much larger; returns dropped postings. */
    private static long push(List<Run> runs, Run run, int[] bases, boolean[] live) {
        runs.add(run);
        long dropped = 0;
        while (runs.size() >= 2) {
            Run last = runs.get(runs.size() - 1);
            Run prev = runs.get(runs.size() - 2);
            if (prev.frames.length > 2L * last.frames.length && runs.size() < 24) {
                break;
            }
            runs.remove(runs.size() - 1);
            Run merged = Run.merge(prev, last, bases, live);
            dropped += prev.frames.length + last.frames.length - merged.frames.length;
            runs.set(runs.size() - 1, merged);
        }
        return dropped;
    }

    private static Snapshot compactIfNeeded(Snapshot s) {
        long total = 0;
        for (Run r : s.runs) {
            total += r.frames.length;
        }
        if (s.removedPostings == 0 || s.removedPostings * 4L < total) {
            return s;
        }
        return compactAll(s);
    }

    private static Snapshot compactAll(Snapshot s) {
        Run all = Run.EMPTY;
        for (Run r : s.runs) {
            all = Run.merge(all, r, s.bases, s.live);
        }
        return new Snapshot(all.frames.length == 0 ? List.of() : List.of(all), s.tracks, s.ordinals, s.bases,
                s.live, s.nextBase, 0);
    }

    private record TrackEntry(String id, int base, int postings, boolean live) {
        TrackEntry dead() {
            return new TrackEntry(id, base, postings, false);
        }
    }

    private record Snapshot(List<Run> runs, List<TrackEntry> tracks, Map<String, Integer> ordinals, int[] bases,
                            boolean[] live, long nextBase, long removedPostings, Run[] runArray) implements View {
        static final Snapshot EMPTY = new Snapshot(List.of(), List.of(), Map.of(), new int[0], new boolean[0], 0, 0);

        Snapshot(List<Run> runs, List<TrackEntry> tracks, Map<String, Integer> ordinals, int[] bases,
                 boolean[] live, long nextBase, long removedPostings) {
            this(runs, tracks, ordinals, bases, live, nextBase, removedPostings, runs.toArray(Run[]::new));
        }

        @Override
        public void forEachPosting(int hash, PostingSink sink) {
            int bucket = hash >>> DIR_SHIFT;
            int low = hash & ((1 << DIR_SHIFT) - 1);
            Run[] array = runArray;
            for (Run run : array) {
                int lo = run.dir[bucket];
                int hi = run.dir[bucket + 1];
                short[] lp = run.lowPitch;
                // first entry whose low byte >= low
                while (lo < hi) {
                    int mid = (lo + hi) >>> 1;
                    if ((lp[mid] & 0xffff) >>> 8 < low) {
                        lo = mid + 1;
                    } else {
                        hi = mid;
                    }
                }
                int end = run.dir[bucket + 1];
                int stop = lo;
                while (stop < end && (lp[stop] & 0xffff) >>> 8 == low) {
                    stop++;
                }
                if (stop - lo > MAX_POSTINGS_PER_KEY) {
                    continue; // a stop word: too common to tell tracks apart, and slow
                }
                for (int i = lo; i < stop; i++) {
                    int global = run.frames[i];
                    int t = ordinalOf(global);
                    if (live[t]) {
                        sink.accept(t, global - bases[t], lp[i] & 0xff);
                    }
                }
            }
        }

        int ordinalOf(int global) {
            int i = Arrays.binarySearch(bases, global);
            return i >= 0 ? i : -i - 2;
        }

        @Override
        public String trackId(int ordinal) {
            return tracks.get(ordinal).id;
        }

        @Override
        public int ordinal(String trackId) {
            Integer o = ordinals.get(trackId);
            return o == null ? -1 : o;
        }

        @Override
        public int postings(int ordinal) {
            return tracks.get(ordinal).postings;
        }
    }

    /** Postings sorted by hash: directory on the top 16 bits, then (low 8 bits | pitch), global frame. */
    private record Run(int[] dir, short[] lowPitch, int[] frames) {
        static final Run EMPTY = of(new long[0]);

        /** hash (24 bits) | pitch (8) | global frame (31): sorts by hash. */
        static long key(int hash, int pitch, int globalFrame) {
            return ((long) hash << 39) | ((long) pitch << 31) | globalFrame;
        }

        static Run of(long[] sortedKeys) {
            int n = sortedKeys.length;
            int[] dir = new int[DIR_SIZE + 1];
            short[] lp = new short[n];
            int[] frames = new int[n];
            for (int i = 0; i < n; i++) {
                long k = sortedKeys[i];
                int hash = (int) (k >>> 39);
                dir[(hash >>> DIR_SHIFT) + 1]++;
                lp[i] = (short) (((hash & 0xff) << 8) | (int) ((k >>> 31) & 0xff));
                frames[i] = (int) (k & 0x7fffffffL);
            }
            for (int b = 0; b < DIR_SIZE; b++) {
                dir[b + 1] += dir[b];
            }
            return new Run(dir, lp, frames);
        }

        /** Merges two runs bucket by bucket, dropping postings of removed tracks. */
        static Run merge(Run a, Run b, int[] bases, boolean[] live) {
            int n = a.frames.length + b.frames.length;
            int[] dir = new int[DIR_SIZE + 1];
            short[] lp = new short[n];
            int[] frames = new int[n];
            int k = 0;
            for (int bucket = 0; bucket < DIR_SIZE; bucket++) {
                int i = a.dir[bucket];
                int ie = a.dir[bucket + 1];
                int j = b.dir[bucket];
                int je = b.dir[bucket + 1];
                while (i < ie || j < je) {
                    Run src;
                    int at;
                    if (j >= je || (i < ie && (a.lowPitch[i] & 0xffff) <= (b.lowPitch[j] & 0xffff))) {
                        src = a;
                        at = i++;
                    } else {
                        src = b;
                        at = j++;
                    }
                    int global = src.frames[at];
                    int t = Arrays.binarySearch(bases, global);
                    t = t >= 0 ? t : -t - 2;
                    if (!live[t]) {
                        continue;
                    }
                    lp[k] = src.lowPitch[at];
                    frames[k] = global;
                    k++;
                }
                dir[bucket + 1] = k;
            }
            return k == n ? new Run(dir, lp, frames) : new Run(dir, Arrays.copyOf(lp, k), Arrays.copyOf(frames, k));
        }
    }

    /** Track ids to their posting counts, for diagnostics. */
    Map<String, Integer> postingsByTrack() {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (TrackEntry t : snapshot.tracks) {
            if (t.live) {
                out.put(t.id, t.postings);
            }
        }
        return out;
    }
}
