package io.spinledger.stage.plays;

import io.spinledger.config.Settings;
import io.spinledger.domain.Detection;
import io.spinledger.domain.Play;
import io.spinledger.domain.ProMapping;
import io.spinledger.domain.Recording;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Merges detections into plays, deterministically: the result depends only on the <em>set</em> of
 * detections, never on the order they arrived in. Pure logic, no storage.
 *
 * <p>Two detections of the same station and track belong to one play when
 * <ul>
 *   <li>their match intervals {@code [matchStartedAt, matchEndedAt]} are at most {@code playGapMs} apart
 *       (overlapping intervals are 0 apart), and</li>
 *   <li>their alignments agree within {@code alignmentToleranceMs}, where the alignment of a detection is the
 *       instant the track's first sample would have aired: {@code chunkStartedAt - trackOffsetMs}. A replay of the
 *       same song (even straight after it ended) has a different alignment and so becomes a new play.</li>
 * </ul>
 * A play is a connected component of that relation (single linkage, so slow drift from a slightly sped-up
 * broadcast is tolerated as long as neighbouring detections agree).
 *
 * <p>Play id: {@code p-<start epoch ms, 13 digits>-<12 hex>} where the hash covers station, track and the id of
 * the group's first detection (earliest {@code matchStartedAt}, ties by detection id). Detections appended at
 * the end keep the id; a late detection that moves the start earlier changes it, and storage must then replace
 * the old play (see {@link PlayStore}).
 */
public final class PlayAssembler {
    /** Default largest disagreement between two detections' alignments that still makes one play: 5 s. */
    public static final long DEFAULT_ALIGNMENT_TOLERANCE_MS = 5_000;

    private static final Comparator<Detection> BY_MATCH_START = Comparator.comparing(Detection::matchStartedAt)
            .thenComparing(Detection::detectionId);

    private final long playGapMs;
    private final long alignmentToleranceMs;

    /**
     * @param playGapMs            largest gap between match intervals within one play, ms (>= 0)
     * @param alignmentToleranceMs largest alignment disagreement within one play, ms (>= 0)
     * @throws IllegalArgumentException on negative values
     */
    public PlayAssembler(long playGapMs, long alignmentToleranceMs) {
        if (playGapMs < 0 || alignmentToleranceMs < 0) {
            throw new IllegalArgumentException("playGapMs and alignmentToleranceMs must be >= 0");
        }
        this.playGapMs = playGapMs;
        this.alignmentToleranceMs = alignmentToleranceMs;
    }

    /** An assembler with the configured gap and {@link #DEFAULT_ALIGNMENT_TOLERANCE_MS}. */
    public static PlayAssembler from(Settings.Royalty royalty) {
        return new PlayAssembler(royalty.playGapMs(), DEFAULT_ALIGNMENT_TOLERANCE_MS);
    }

    /** Largest gap between match intervals within one play, ms. */
    public long playGapMs() {
        return playGapMs;
    }

    /**
     * Groups detections (of any stations and tracks) into plays. Duplicates (same detection id) count once;
     * should two copies differ, the one that sorts first by match start, then chunk id, wins.
     *
     * @return the groups ordered by start instant, then play id
     */
    public List<PlayGroup> assemble(Collection<Detection> detections) {
        Map<String, Detection> unique = new TreeMap<>();
        for (Detection d : detections) {
            unique.merge(d.detectionId(), d, (a, b) -> BY_MATCH_START.thenComparing(Detection::chunkId)
                    .compare(a, b) <= 0 ? a : b);
        }
        Map<String, List<Detection>> byStationTrack = new TreeMap<>();
        for (Detection d : unique.values()) {
            byStationTrack.computeIfAbsent(d.stationId() + "\n" + d.trackId(), k -> new ArrayList<>()).add(d);
        }
        List<PlayGroup> out = new ArrayList<>();
        for (List<Detection> same : byStationTrack.values()) {
            out.addAll(components(same));
        }
        out.sort(Comparator.comparing(PlayGroup::startedAt).thenComparing(PlayGroup::playId));
        return out;
    }

    /** The group in {@code groups} that contains the detection, or null. */
    public static PlayGroup containing(List<PlayGroup> groups, String detectionId) {
        for (PlayGroup g : groups) {
            if (g.detectionIds().contains(detectionId)) {
                return g;
            }
        }
        return null;
    }

    /** Whether two detections (of the same station and track) belong to the same play. */
    public boolean linked(Detection a, Detection b) {
        long gap = Math.max(a.matchStartedAt().toEpochMilli(), b.matchStartedAt().toEpochMilli())
                - Math.min(a.matchEndedAt().toEpochMilli(), b.matchEndedAt().toEpochMilli());
        return gap <= playGapMs && Math.abs(alignmentMs(a) - alignmentMs(b)) <= alignmentToleranceMs;
    }

    /** Epoch ms at which the track's first sample would have aired according to this detection. */
    public static long alignmentMs(Detection d) {
        return d.chunkStartedAt().toEpochMilli() - d.trackOffsetMs();
    }

    /**
     * The play id for a group: {@code p-<start epoch ms zero-padded to 13>-<12 hex of SHA-256(station, track,
     * first detection id)>}.
     */
    public static String playId(String stationId, String trackId, Instant startedAt, String firstDetectionId) {
        return String.format("p-%013d-%s", startedAt.toEpochMilli(),
                sha256Hex(stationId + "\n" + trackId + "\n" + firstDetectionId).substring(0, 12));
    }

    private List<PlayGroup> components(List<Detection> ds) {
        ds.sort(BY_MATCH_START);
        int n = ds.size();
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (linked(ds.get(i), ds.get(j))) {
                    int ri = find(parent, i);
                    int rj = find(parent, j);
                    if (ri != rj) {
                        parent[Math.max(ri, rj)] = Math.min(ri, rj);
                    }
                }
            }
        }
        Map<Integer, List<Detection>> groups = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            groups.computeIfAbsent(find(parent, i), k -> new ArrayList<>()).add(ds.get(i));
        }
        return groups.values().stream().map(PlayGroup::of).toList();
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing", e);
        }
    }

    /**
     * One assembled play, before storage adds metadata and lifecycle.
     *
     * @param playId       stable id, see {@link PlayAssembler#playId}
     * @param stationId    station
     * @param trackId      track
     * @param startedAt    earliest match start
     * @param endedAt      latest match end
     * @param confidence   highest detection confidence
     * @param source       LOCAL when any detection came from the own index, else ACRCLOUD
     * @param detectionIds sorted detection ids
     * @param chunkIds     sorted, distinct chunk ids
     * @param detections   the detections, by match start
     */
    public record PlayGroup(String playId, String stationId, String trackId, Instant startedAt, Instant endedAt,
                            double confidence, Detection.Source source, List<String> detectionIds,
                            List<String> chunkIds, List<Detection> detections) {
        public PlayGroup {
            detectionIds = List.copyOf(detectionIds);
            chunkIds = List.copyOf(chunkIds);
            detections = List.copyOf(detections);
        }

        static PlayGroup of(List<Detection> sortedByStart) {
            Detection first = sortedByStart.get(0);
            Instant start = first.matchStartedAt();
            Instant end = sortedByStart.stream().map(Detection::matchEndedAt).max(Comparator.naturalOrder()).orElseThrow();
            double confidence = sortedByStart.stream().mapToDouble(Detection::confidence).max().orElse(0);
            Detection.Source source = sortedByStart.stream().anyMatch(d -> d.source() == Detection.Source.LOCAL)
                    ? Detection.Source.LOCAL : Detection.Source.ACRCLOUD;
            List<String> detectionIds = sortedByStart.stream().map(Detection::detectionId).sorted().toList();
            List<String> chunkIds = sortedByStart.stream().map(Detection::chunkId).distinct().sorted().toList();
            return new PlayGroup(PlayAssembler.playId(first.stationId(), first.trackId(), start, first.detectionId()),
                    first.stationId(), first.trackId(), start, end, confidence, source, detectionIds, chunkIds,
                    sortedByStart);
        }

        /** End minus start, ms. */
        public long durationMs() {
            return endedAt.toEpochMilli() - startedAt.toEpochMilli();
        }

        /**
         * This group as a play.
         *
         * @param recording         recording metadata (title, artists, ISRC), may be null
         * @param proMapping        society shares, may be null
         * @param minPaidDurationMs plays shorter than this are not royalty-eligible
         * @param status            lifecycle status
         * @param updatedAt         processing time of this change
         */
        public Play toPlay(Recording recording, ProMapping proMapping, long minPaidDurationMs, Play.Status status,
                           Instant updatedAt) {
            return new Play(playId, stationId, trackId, recording == null ? null : recording.title(),
                    recording == null ? List.of() : recording.artists(), recording == null ? null : recording.isrc(),
                    startedAt, endedAt, durationMs(), confidence, source, durationMs() >= minPaidDurationMs, status,
                    detectionIds, chunkIds, recording, proMapping, updatedAt);
        }
    }
}
