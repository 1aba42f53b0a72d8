package io.spinledger.engine.fingerprint;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Where one {@link Matcher#match(QueryFingerprints, MatchProfile)} call spent its thread CPU time, split
 * into the work a shard does (vote, windows, hits: what a shard process would run) and the work of the
 * coordinator (merging the shards' windows and hits, line fits, peak checks), plus what the first pass
 * read. For benches; not thread-safe (one profile per call and thread).
 */
public final class MatchProfile {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Thread CPU ns per shard: the vote (first pass, all stages run) and its windows. */
    public final long[] voteNs;
    /** Thread CPU ns per shard: the hits in the chosen windows (second pass). */
    public final long[] hitsNs;
    /** Postings read by each shard's vote. */
    public final long[] postingsRead;
    /** Thread CPU ns of the coordinator merging windows (per stage) and concatenating hits across shards. */
    public long combineNs;
    /** Thread CPU ns of the line fits (and the repeats' second fits). */
    public long fitNs;
    /** Thread CPU ns of the peak checks. */
    public long peakNs;
    /** Vote stages run (1 to 4: quarters of the query's triplets). */
    public int stages;
    /** Candidate tracks whose line was fitted. */
    public int fitted;
    /** Hits gathered across shards for the fitted tracks. */
    public long hits;

    /** @param shards number of shards of the matcher this profile is used with */
    public MatchProfile(int shards) {
        voteNs = new long[shards];
        hitsNs = new long[shards];
        postingsRead = new long[shards];
    }

    /** Sum of the shards' vote and hits time, ns. */
    public long shardNs() {
        long s = 0;
        for (int i = 0; i < voteNs.length; i++) {
            s += voteNs[i] + hitsNs[i];
        }
        return s;
    }

    /** The slowest shard's vote and hits time, ns (the fan-out's critical path when shards run in parallel). */
    public long slowestShardNs() {
        long s = 0;
        for (int i = 0; i < voteNs.length; i++) {
            s = Math.max(s, voteNs[i] + hitsNs[i]);
        }
        return s;
    }

    /** Everything measured, ns. */
    public long totalNs() {
        return shardNs() + combineNs + fitNs + peakNs;
    }

    static long now() {
        return THREADS.getCurrentThreadCpuTime();
    }
}
