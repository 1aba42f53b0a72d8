package io.spinledger.engine.fingerprint;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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
 * <p>Layout (6 bytes per posting plus a directory per run): postings live in a few immutable
 * runs; a run is sorted by hash and holds a directory {@code int[]} indexed by the hash's top 16
 * bits (up to 22 bits for runs of millions of postings: 4 bytes per 4-8 postings) and the
 * postings, 6 bytes each in one byte array: the global frame and (the hash's remaining low bits
 * &lt;&lt; 8 | anchor pitch), side by side so that a lookup touches one or two cache lines.
 * Every track owns a range of global frames ({@code base .. base + length}), so one int names
 * both the track and the frame; the track is found by binary search over the bases, only for
 * hits. A new track becomes a run and runs of similar size are merged (a small log-structured
 * merge), so adding n tracks one by one costs O(n log n) copying and a query looks at O(log n)
 * runs.
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
    /**
     * A hash with more postings than this (in one run, within the query's pitch window) is skipped
     * at query time, like a stop word
     * (Olaf's maxDBCollisions plays the same role): it carries little evidence and costs most of
     * the matching time.
     */
    static final int MAX_POSTINGS_PER_KEY = 2_000;
    /** Batches of at least this many postings are sorted on all cores (loading a base segment). */
    private static final int PARALLEL_SORT_KEYS = 1 << 20;
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
            entries.add(new TrackEntry(e.getKey(), (int) base, keys.length, true, anchors(fps)));
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
        if (all.length >= PARALLEL_SORT_KEYS) {
            Arrays.parallelSort(all); // a base segment's load: tens of millions of keys
        } else {
            Arrays.sort(all);
        }
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
            total += r.size();
        }
        return total - s.removedPostings;
    }

    /**
     * Bytes held by postings, directories and the tracks' anchor peaks (not counting track ids), for
     * memory reports.
     */
    public long memoryBytes() {
        Snapshot s = snapshot;
        long bytes = 0;
        for (Run r : s.runs) {
            bytes += r.postings.length + 4L * r.dir.length;
        }
        for (TrackEntry t : s.tracks) {
            bytes += t.anchors == null ? 0 : t.anchors.length;
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
        /** The track id of an ordinal. */
        String trackId(int ordinal);

        /** The ordinal of a live track, or -1. */
        int ordinal(String trackId);

        /** Number of postings the track was added with. */
        int postings(int ordinal);

        /** End of the global frame space in use: every posting's global frame is below it. */
        int frameSpace();

        /** The ordinal whose global frame range holds {@code global} (live or not), or -1 before the first. */
        int ordinalOfGlobal(int global);

        /** Number of ordinals (live and removed tracks). */
        int trackSlots();

        /** First global frame of a track (its frame 0). */
        int base(int ordinal);

        /** Whether the ordinal's track is still in the index (not removed or replaced). */
        boolean live(int ordinal);

        /**
         * The distinct anchor peaks of a live track's fingerprints in this shard with frame in
         * {@code [fromFrame, toFrame]} (track frames), in frame order.
         *
         * @return {frames, pitches} as two arrays of equal length (pitch steps as in {@link Fingerprints})
         */
        int[][] anchors(int ordinal, int fromFrame, int toFrame);

        /** Number of runs (immutable sorted posting arrays) in this view. */
        int runCount();

        /**
         * One run (an immutable sorted posting array), read through {@link Run}'s range queries.
         *
         * @param run the run's number, {@code 0 <= run < runCount()}
         * @throws ArrayIndexOutOfBoundsException if there is no such run
         */
        Run run(int run);
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

    /** The distinct (frame, pitch) anchors of this shard's fingerprints, as an {@link AnchorStrip}. */
    private byte[] anchors(Fingerprints fps) {
        int n = fps.size();
        long[] peaks = new long[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            int h = fps.hashes()[i];
            if (h >= hashFrom && h < hashTo) {
                peaks[k++] = (long) fps.frames()[i] << 8 | (fps.pitches()[i] & 0xff);
            }
        }
        Arrays.sort(peaks, 0, k);
        int distinct = 0;
        for (int i = 0; i < k; i++) {
            if (distinct == 0 || peaks[i] != peaks[distinct - 1]) {
                peaks[distinct++] = peaks[i];
            }
        }
        return AnchorStrip.encode(peaks, distinct);
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
            if (prev.size() > 2L * last.size() && runs.size() < 24) {
                break;
            }
            runs.remove(runs.size() - 1);
            Run merged = Run.merge(prev, last, bases, live);
            dropped += prev.size() + last.size() - merged.size();
            runs.set(runs.size() - 1, merged);
        }
        return dropped;
    }

    private static Snapshot compactIfNeeded(Snapshot s) {
        long total = 0;
        for (Run r : s.runs) {
            total += r.size();
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
        return new Snapshot(all.size() == 0 ? List.of() : List.of(all), s.tracks, s.ordinals, s.bases,
                s.live, s.nextBase, 0);
    }

    /**
     * @param anchors the track's distinct anchor peaks in this shard, an {@link AnchorStrip};
     *                null once the track is removed
     */
    private record TrackEntry(String id, int base, int postings, boolean live, byte[] anchors) {
        TrackEntry dead() {
            return new TrackEntry(id, base, postings, false, null);
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
        public int runCount() {
            return runArray.length;
        }

        @Override
        public Run run(int run) {
            return runArray[run];
        }

        @Override
        public int frameSpace() {
            return (int) nextBase;
        }

        @Override
        public int ordinalOfGlobal(int global) {
            return bases.length == 0 || global < bases[0] ? -1 : ordinalOf(global);
        }

        @Override
        public int trackSlots() {
            return bases.length;
        }

        @Override
        public int base(int ordinal) {
            return bases[ordinal];
        }

        @Override
        public boolean live(int ordinal) {
            return live[ordinal];
        }

        @Override
        public int[][] anchors(int ordinal, int fromFrame, int toFrame) {
            byte[] a = tracks.get(ordinal).anchors;
            return a == null ? new int[][] {new int[0], new int[0]} : AnchorStrip.decode(a, fromFrame, toFrame);
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

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Bytes per posting: global frame (4), then (hash low bits &lt;&lt; 8 | pitch) (2). */
    private static final int POSTING_BYTES = 6;

    /** The global frame of posting {@code i} of a run's posting bytes. */
    private static int frameAt(byte[] postings, int i) {
        return (int) (long) LONG.get(postings, i * POSTING_BYTES);
    }

    /** (hash low bits &lt;&lt; 8 | anchor pitch), unsigned, of posting {@code i} of a run's posting bytes. */
    private static int lowPitchAt(byte[] postings, int i) {
        return (int) ((long) LONG.get(postings, i * POSTING_BYTES) >>> 32) & 0xffff;
    }

    /**
     * Postings sorted by hash: a directory on the top {@code 24 - shift} bits of the hash (16 bits
     * for runs under 2^21 postings, up to 22 bits for big ones, so that a bucket holds a handful of
     * postings), then per posting, interleaved in one byte array so that a lookup touches one or two
     * cache lines: the global frame (4 bytes, little-endian) and (the hash's low {@code shift} bits
     * &lt;&lt; 8 | anchor pitch) (2 bytes). Two bytes of padding at the end let every posting be
     * read as one 8-byte word.
     *
     * <p>Readers outside the index see a run only through its range queries ({@link #range},
     * {@link #start}, {@link #lastLowPitch}) and the posting accessors ({@link #frameAt},
     * {@link #lowPitchAt}, {@link #postingAt}), never its bytes. Immutable, so thread-safe.
     */
    static final class Run {
        private static final Run EMPTY = of(new long[0]);

        private final int shift;
        private final int[] dir;
        private final byte[] postings;
        private final int size;

        private Run(int shift, int[] dir, byte[] postings, int size) {
            this.shift = shift;
            this.dir = dir;
            this.postings = postings;
            this.size = size;
        }

        /** Number of postings in the run (of live and removed tracks). */
        private int size() {
            return size;
        }

        /**
         * Where the postings of {@code hash} with anchor pitch in {@code [pitchLo, pitchHi]} lie in
         * this run (live or not: callers check {@link View#live} for what they keep).
         *
         * @return {@code from << 32 | to} (posting indexes for {@link #frameAt} etc.), or -1 when
         *         there are none or more than {@link FingerprintIndex#MAX_POSTINGS_PER_KEY} (a stop word)
         */
        long range(int hash, int pitchLo, int pitchHi) {
            long start = start(hash, pitchLo, pitchHi);
            if (start < 0) {
                return -1;
            }
            int from = (int) (start >>> 32);
            int end = (int) start;
            int last = lastLowPitch(hash, pitchHi);
            int to = from;
            while (to < end && lowPitchAt(to) <= last) {
                to++;
            }
            return (long) from << 32 | to;
        }

        /**
         * Where the postings of {@code hash} with anchor pitch from {@code pitchLo} start in this
         * run, for callers that scan on while {@link #lowPitchAt} stays at most
         * {@link #lastLowPitch lastLowPitch(hash, pitchHi)}.
         *
         * @return {@code from << 32 | bucketEnd}, or -1 when there are none or it is a stop word
         */
        long start(int hash, int pitchLo, int pitchHi) {
            int bucket = hash >>> shift;
            int key = (hash & ((1 << shift) - 1)) << 8;
            int end = dir[bucket + 1];
            // postings of one hash are sorted by pitch: the pitch window is a sub-range
            int from = lowerBound(dir[bucket], end, key + pitchLo);
            int last = key + pitchHi;
            if (from == end || lowPitchAt(from) > last) {
                return -1;
            }
            if (from + MAX_POSTINGS_PER_KEY < end && lowPitchAt(from + MAX_POSTINGS_PER_KEY) <= last) {
                return -1; // a stop word
            }
            return (long) from << 32 | end;
        }

        /**
         * {@link #start} for {@code n} keys at once: the binary searches advance in lockstep, so that their cache
         * and TLB misses overlap instead of following one another (a big run's buckets of common hashes hold
         * hundreds of postings, and each probe is a miss). Same results as {@code n} calls of {@link #start}.
         *
         * @param hash    the keys' hashes, {@code n} of them
         * @param pitchLo lowest anchor pitch of each key's window
         * @param pitchHi highest anchor pitch of each key's window
         * @param lo      scratch, at least {@code n} long
         * @param hi      scratch, at least {@code n} long
         * @param out     receives {@code start(hash[k], pitchLo[k], pitchHi[k])} at {@code out[outAt + k]}
         */
        void starts(int n, int[] hash, int[] pitchLo, int[] pitchHi, int[] lo, int[] hi, long[] out, int outAt) {
            int lowMask = (1 << shift) - 1;
            for (int k = 0; k < n; k++) {
                int bucket = hash[k] >>> shift;
                lo[k] = dir[bucket];
                hi[k] = dir[bucket + 1];
                out[outAt + k] = hi[k]; // the bucket's end, kept for the checks below
            }
            boolean searching = true;
            while (searching) {
                searching = false;
                for (int k = 0; k < n; k++) {
                    int l = lo[k];
                    int h = hi[k];
                    if (l < h) {
                        int mid = (l + h) >>> 1;
                        if (lowPitchAt(mid) < (((hash[k] & lowMask) << 8) + pitchLo[k])) {
                            l = mid + 1;
                            lo[k] = l;
                        } else {
                            h = mid;
                            hi[k] = h;
                        }
                        searching |= l < h;
                    }
                }
            }
            for (int k = 0; k < n; k++) {
                int end = (int) out[outAt + k];
                int from = lo[k];
                int last = ((hash[k] & lowMask) << 8) + pitchHi[k];
                if (from == end || lowPitchAt(from) > last
                        || (from + MAX_POSTINGS_PER_KEY < end && lowPitchAt(from + MAX_POSTINGS_PER_KEY) <= last)) {
                    out[outAt + k] = -1;
                } else {
                    out[outAt + k] = (long) from << 32 | end;
                }
            }
        }

        /** The largest {@link #lowPitchAt} value of {@code hash}'s postings up to pitch {@code pitchHi} in this run. */
        int lastLowPitch(int hash, int pitchHi) {
            return ((hash & ((1 << shift) - 1)) << 8) + pitchHi;
        }

        /**
         * Posting {@code i} as one word: its global frame in the low 32 bits, its
         * {@link #lowPitchAt} value (16 bits) above; for scans that read both.
         */
        long postingAt(int i) {
            return (long) LONG.get(postings, i * POSTING_BYTES);
        }

        /** The global frame of posting {@code i} (a track's frame plus its {@link View#base}). */
        int frameAt(int i) {
            return (int) (long) LONG.get(postings, i * POSTING_BYTES);
        }

        /**
         * Posting {@code i}'s (hash low bits &lt;&lt; 8 | anchor pitch), unsigned 16 bits: its low
         * byte is the anchor pitch; only comparable with {@link #lastLowPitch} of the same hash.
         */
        int lowPitchAt(int i) {
            return (int) ((long) LONG.get(postings, i * POSTING_BYTES) >>> 32) & 0xffff;
        }

        /** First index in [from, to) whose unsigned (low byte, pitch) value is at least {@code value}. */
        private int lowerBound(int from, int to, int value) {
            int lo = from;
            int hi = to;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (lowPitchAt(mid) < value) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        /** hash (24 bits) | pitch (8) | global frame (31): sorts by hash. */
        private static long key(int hash, int pitch, int globalFrame) {
            return ((long) hash << 39) | ((long) pitch << 31) | globalFrame;
        }

        /** Bits of the hash left out of the directory for a run of {@code n} postings (8 down to 2). */
        private static int shiftFor(long n) {
            int dirBits = Math.max(16, Math.min(22, 63 - Long.numberOfLeadingZeros(Math.max(1, n)) - 2));
            return FingerprintConfig.MAX_HASH_BITS - dirBits;
        }

        private static byte[] allocate(long n) {
            long bytes = n * POSTING_BYTES + 2;
            if (bytes > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("a run of " + n + " postings is too big for one array; use more shards");
            }
            return new byte[(int) bytes];
        }

        /** Writes posting {@code i}; postings must be written in increasing order (each write spills 2 bytes). */
        private static void put(byte[] postings, int i, int globalFrame, int lowPitch) {
            LONG.set(postings, i * POSTING_BYTES, ((long) lowPitch << 32) | (globalFrame & 0xffffffffL));
        }

        private static Run of(long[] sortedKeys) {
            int n = sortedKeys.length;
            int shift = shiftFor(n);
            int[] dir = new int[(HASH_SPACE >>> shift) + 1];
            byte[] postings = allocate(n);
            int lowMask = (1 << shift) - 1;
            for (int i = 0; i < n; i++) {
                long k = sortedKeys[i];
                int hash = (int) (k >>> 39);
                dir[(hash >>> shift) + 1]++;
                put(postings, i, (int) (k & 0x7fffffffL), ((hash & lowMask) << 8) | (int) ((k >>> 31) & 0xff));
            }
            for (int b = 0; b + 1 < dir.length; b++) {
                dir[b + 1] += dir[b];
            }
            return new Run(shift, dir, postings, n);
        }

        /** The hash of posting {@code i}, which lies in directory bucket {@code bucket}. */
        private int hash(int bucket, int i) {
            return bucket << shift | lowPitchAt(i) >>> 8;
        }

        /** Merges two runs (of any directory sizes) in hash order, dropping postings of removed tracks. */
        private static Run merge(Run a, Run b, int[] bases, boolean[] live) {
            int n = a.size + b.size;
            int shift = shiftFor(n);
            int lowMask = (1 << shift) - 1;
            int[] dir = new int[(HASH_SPACE >>> shift) + 1];
            byte[] postings = allocate(n);
            int k = 0;
            int i = 0;
            int j = 0;
            int ba = 0;
            int bb = 0;
            while (i < a.size || j < b.size) {
                while (i < a.size && a.dir[ba + 1] <= i) {
                    ba++;
                }
                while (j < b.size && b.dir[bb + 1] <= j) {
                    bb++;
                }
                long ka = i < a.size ? (long) a.hash(ba, i) << 8 | (a.lowPitchAt(i) & 0xff) : Long.MAX_VALUE;
                long kb = j < b.size ? (long) b.hash(bb, j) << 8 | (b.lowPitchAt(j) & 0xff) : Long.MAX_VALUE;
                long key;
                int global;
                if (ka <= kb) {
                    key = ka;
                    global = a.frameAt(i++);
                } else {
                    key = kb;
                    global = b.frameAt(j++);
                }
                int t = Arrays.binarySearch(bases, global);
                t = t >= 0 ? t : -t - 2;
                if (!live[t]) {
                    continue;
                }
                int hash = (int) (key >>> 8);
                dir[(hash >>> shift) + 1]++;
                put(postings, k++, global, ((hash & lowMask) << 8) | (int) (key & 0xff));
            }
            for (int d = 0; d + 1 < dir.length; d++) {
                dir[d + 1] += dir[d];
            }
            if (k < n && shiftFor(k) != shift) {
                return of(keysOf(postings, dir, shift, k));
            }
            return k == n ? new Run(shift, dir, postings, n)
                    : new Run(shift, dir, Arrays.copyOf(postings, k * POSTING_BYTES + 2), k);
        }

        /** The sort keys of the first {@code n} postings of a layout (to rebuild it with another directory size). */
        private static long[] keysOf(byte[] postings, int[] dir, int shift, int n) {
            long[] keys = new long[n];
            int bucket = 0;
            for (int i = 0; i < n; i++) {
                while (dir[bucket + 1] <= i) {
                    bucket++;
                }
                int lp = FingerprintIndex.lowPitchAt(postings, i);
                keys[i] = key(bucket << shift | lp >>> 8, lp & 0xff, FingerprintIndex.frameAt(postings, i));
            }
            return keys;
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
