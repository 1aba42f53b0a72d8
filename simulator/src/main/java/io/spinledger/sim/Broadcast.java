package io.spinledger.sim;

import io.spinledger.domain.Chunk;
import io.spinledger.domain.Detection;
import io.spinledger.domain.Station;
import io.spinledger.domain.Writer;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * A generated truth: stations, the catalog, what each station aired (catalog tracks, music only ACRCloud knows,
 * unknown music, talk), and what the matcher made of every 10 s chunk (cut every 8 s), with realistic noise:
 * missed chunks, chunks matched in a repeated section (wrong track offset), short false detections on talk.
 */
public final class Broadcast {
    /** Chunk length, ms (the default {@code SPINLEDGER_CHUNK_MS}). */
    public static final long CHUNK_MS = 10_000;
    /** Chunk step, ms (length minus the default overlap). */
    public static final long STEP_MS = 8_000;

    /** What a segment of air time holds. */
    public enum Kind { CATALOG, ACR_ONLY, UNKNOWN, TALK }

    /**
     * One segment of a station's air time.
     *
     * @param stationId    station
     * @param kind         what aired
     * @param trackId      catalog track id, ACRCloud acrid for ACR_ONLY, null otherwise
     * @param startMs      air start, epoch ms
     * @param durationMs   length, ms
     * @param trackStartMs position in the track at air start, ms
     */
    public record Segment(String stationId, Kind kind, String trackId, long startMs, long durationMs,
                          long trackStartMs) {
        /** Air end, epoch ms. */
        public long endMs() {
            return startMs + durationMs;
        }
    }

    /**
     * A catalog track.
     *
     * @param trackId        id
     * @param durationMs     length, ms
     * @param repeatShiftMs  distance between two copies of a repeated section (a chorus), ms
     * @param meta           its catalog entry (ISRC, writers with societies and shares)
     */
    public record Track(String trackId, long durationMs, long repeatShiftMs, io.spinledger.domain.Track meta) {
    }

    /**
     * What the matcher made of one chunk.
     *
     * @param chunk      the chunk
     * @param detections local detections (empty: the chunk goes to the fallback stage)
     * @param dominant   the segment holding most of the chunk
     */
    public record ChunkOutcome(Chunk chunk, List<Detection> detections, Segment dominant) {
    }

    private final List<Station> stations;
    private final Map<String, Track> catalog;
    private final List<Segment> segments;
    private final List<ChunkOutcome> outcomes;
    private final long startMs;
    private final long endMs;

    private Broadcast(List<Station> stations, Map<String, Track> catalog, List<Segment> segments,
                      List<ChunkOutcome> outcomes, long startMs, long endMs) {
        this.stations = stations;
        this.catalog = catalog;
        this.segments = segments;
        this.outcomes = outcomes;
        this.startMs = startMs;
        this.endMs = endMs;
    }

    /** Stations. */
    public List<Station> stations() {
        return stations;
    }

    /** Catalog by track id. */
    public Map<String, Track> catalog() {
        return catalog;
    }

    /** Every segment, by station then time. */
    public List<Segment> segments() {
        return segments;
    }

    /** Every chunk's outcome, ordered by chunk end. */
    public List<ChunkOutcome> outcomes() {
        return outcomes;
    }

    /** Broadcast start, epoch ms. */
    public long startMs() {
        return startMs;
    }

    /** Broadcast end, epoch ms. */
    public long endMs() {
        return endMs;
    }

    /**
     * Generates a broadcast.
     *
     * @param random  the run's generator
     * @param profile sizes and noise
     * @param startMs air start of every station, epoch ms
     */
    public static Broadcast generate(RandomGenerator random, Profile profile, long startMs) {
        return generate(random, profile, startMs, null);
    }

    /**
     * Generates a broadcast whose catalog is given recordings (the audio mode): track {@code t<i>} lasts
     * {@code durationsMs[i]}.
     *
     * @param random      the run's generator
     * @param profile     sizes and noise
     * @param startMs     air start of every station, epoch ms
     * @param durationsMs lengths of the catalog recordings, ms; null: a generated catalog
     */
    public static Broadcast generate(RandomGenerator random, Profile profile, long startMs, long[] durationsMs) {
        Map<String, Track> catalog = new HashMap<>();
        List<String> trackIds = new ArrayList<>();
        int tracks = durationsMs != null ? durationsMs.length : 6 + random.nextInt(10);
        for (int i = 0; i < tracks; i++) {
            String id = "t" + i;
            long duration = durationsMs != null ? durationsMs[i] : 60_000 + random.nextLong(180_000);
            io.spinledger.domain.Track meta = new io.spinledger.domain.Track(id, "Track " + i,
                    List.of("Artist " + (i % 4)), String.format("GH-SIM-26-%05d", i), null, "Label " + (i % 3), null,
                    List.of(new Writer("Writer " + i + "a", null, "GHAMRO", "composer", new BigDecimal("50")),
                            new Writer("Writer " + i + "b", null, i % 2 == 0 ? "GHAMRO" : "PRS", "lyricist",
                                    new BigDecimal("50"))), duration, 0, Instant.ofEpochMilli(startMs));
            catalog.put(id, new Track(id, duration, 20_000 + random.nextLong(40_000), meta));
            trackIds.add(id);
        }
        int nStations = profile.minStations() + random.nextInt(profile.maxStations() - profile.minStations() + 1);
        long minutes = profile.minMinutes() + random.nextInt(profile.maxMinutes() - profile.minMinutes() + 1);
        long endMs = startMs + minutes * 60_000;
        List<Station> stations = new ArrayList<>();
        List<Segment> segments = new ArrayList<>();
        for (int s = 0; s < nStations; s++) {
            String sid = "sim-" + s;
            stations.add(new Station(sid, "Sim " + s, null, "GH", s % 2 == 0 ? "A" : "B", "GHS", "Africa/Accra",
                    Instant.ofEpochMilli(startMs)));
            long t = startMs;
            while (t < endMs) {
                double k = random.nextDouble();
                Segment seg;
                if (k < 0.55) {
                    Track tr = catalog.get(trackIds.get(random.nextInt(trackIds.size())));
                    boolean jingle = random.nextDouble() < 0.15;
                    long from = random.nextDouble() < 0.7 ? 0 : random.nextLong(tr.durationMs() / 2);
                    long len = jingle ? 5_000 + random.nextLong(15_000) : Math.min(tr.durationMs() - from,
                            30_000 + random.nextLong(tr.durationMs()));
                    seg = new Segment(sid, Kind.CATALOG, tr.trackId(), t, Math.max(5_000, len), from);
                } else if (k < 0.65) {
                    seg = new Segment(sid, Kind.ACR_ONLY, "acr" + random.nextInt(5), t, 30_000 + random.nextLong(90_000),
                            random.nextLong(30_000));
                } else if (k < 0.72) {
                    seg = new Segment(sid, Kind.UNKNOWN, null, t, 20_000 + random.nextLong(60_000), 0);
                } else {
                    seg = new Segment(sid, Kind.TALK, null, t, 5_000 + random.nextLong(50_000), 0);
                }
                segments.add(seg);
                t = seg.endMs();
            }
        }
        List<ChunkOutcome> outcomes = new ArrayList<>();
        for (Station st : stations) {
            List<Segment> own = segments.stream().filter(g -> g.stationId().equals(st.stationId())).toList();
            Map<Segment, int[]> missRun = new HashMap<>();
            Map<Segment, int[]> wrongRun = new HashMap<>();
            for (long c = startMs; c + CHUNK_MS <= endMs; c += STEP_MS) {
                long cEnd = c + CHUNK_MS;
                String chunkId = st.stationId() + "-" + c;
                Chunk chunk = new Chunk(chunkId, st.stationId(), Instant.ofEpochMilli(c), CHUNK_MS,
                        "chunks/" + st.stationId() + "/" + c + ".wav", 11025, "sim");
                Segment dominant = null;
                long best = -1;
                List<Detection> ds = new ArrayList<>();
                for (Segment g : own) {
                    long overlap = Math.min(cEnd, g.endMs()) - Math.max(c, g.startMs());
                    if (overlap <= 0) {
                        continue;
                    }
                    if (overlap > best) {
                        best = overlap;
                        dominant = g;
                    }
                    if (g.kind() != Kind.CATALOG || overlap < 4_000) {
                        continue;
                    }
                    int[] misses = missRun.computeIfAbsent(g, x -> new int[1]);
                    boolean mayMiss = profile.maxMissRun() == 0 || misses[0] < profile.maxMissRun();
                    if (mayMiss && random.nextDouble() < profile.missRate()) {
                        misses[0]++;
                        continue;
                    }
                    misses[0] = 0;
                    Track tr = catalog.get(g.trackId());
                    long offset = c - g.startMs() + g.trackStartMs();
                    int[] wrong = wrongRun.computeIfAbsent(g, x -> new int[1]);
                    if (wrong[0] == 0 && random.nextDouble() < profile.wrongOffsetRate()) {
                        wrong[0] = Math.max(1, profile.wrongOffsetRun());
                    }
                    if (wrong[0] > 0) {
                        wrong[0]--;
                        offset += offset >= tr.repeatShiftMs() ? -tr.repeatShiftMs() : tr.repeatShiftMs();
                    }
                    long mStart = Math.max(0, g.startMs() - c) + random.nextLong(600);
                    long mEnd = Math.min(CHUNK_MS, g.endMs() - c) - random.nextLong(600);
                    ds.add(detection(chunk, g.trackId(), offset, mStart, Math.max(mStart + 500, mEnd),
                            5 + random.nextInt(60), 0.55 + 0.45 * random.nextDouble()));
                }
                if (dominant != null && dominant.kind() == Kind.TALK && random.nextDouble() < profile.falseRate()) {
                    String tid = trackIds.get(random.nextInt(trackIds.size()));
                    long mStart = random.nextLong(6_000);
                    ds.add(detection(chunk, tid, random.nextLong(60_000), mStart, mStart + 1_500 + random.nextLong(1_500),
                            5, 0.5 + 0.1 * random.nextDouble()));
                }
                outcomes.add(new ChunkOutcome(chunk, ds, dominant));
            }
        }
        outcomes.sort((a, b) -> a.chunk().startedAt().compareTo(b.chunk().startedAt()));
        return new Broadcast(List.copyOf(stations), Map.copyOf(catalog), List.copyOf(segments), List.copyOf(outcomes),
                startMs, endMs);
    }

    private static Detection detection(Chunk chunk, String trackId, long offset, long mStart, long mEnd, int aligned,
                                       double confidence) {
        return new Detection(chunk.chunkId() + ":" + trackId, chunk.chunkId(), chunk.stationId(), chunk.startedAt(),
                chunk.durationMs(), trackId, offset, mStart, mEnd, aligned, confidence, Detection.Source.LOCAL, Map.of());
    }

    /** The segment of a station holding an instant, or null. */
    public Segment segmentAt(String stationId, long ms) {
        for (Segment g : segments) {
            if (g.stationId().equals(stationId) && g.startMs() <= ms && ms < g.endMs()) {
                return g;
            }
        }
        return null;
    }
}
