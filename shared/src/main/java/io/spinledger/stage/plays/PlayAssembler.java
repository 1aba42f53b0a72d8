package io.spinledger.stage.plays;

import io.spinledger.config.Settings;
import io.spinledger.domain.Detection;
import io.spinledger.domain.Play;
import io.spinledger.domain.Play.Alternative;
import io.spinledger.domain.ProMapping;
import io.spinledger.domain.Recording;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * A station's timeline: merges detections into plays, deterministically (the result depends only on the
 * <em>set</em> of detections, never on the order they arrived in). Pure logic, no storage.
 *
 * <p>A station airs one thing at a time. The timeline is built in three steps:
 * <ol>
 *   <li><b>Airings of one recording.</b> Detections of one station and recording (by default the track id; the
 *       caller may key by ISRC so that a catalog track and the same recording under an ACRCloud id are one) whose
 *       match intervals {@code [matchStartedAt, matchEndedAt]} overlap or lie at most {@code playGapMs} apart form
 *       one chain, <em>whatever their track offsets say</em>: a chunk matched in a repeated section, a loop or a DJ
 *       edit is another offset of the same airing. A longer stretch without detections (up to {@link #BRIDGE_MS})
 *       is bridged when the detections on both sides follow one alignment and no other recording was matched in
 *       between: the same airing, drowned out for a while (music under speech).</li>
 *   <li><b>Replays.</b> A chain is cut where the recording starts again: a detection whose track position at its
 *       match start is within {@link #REPLAY_START_MS} of the track's beginning, whose alignment (the instant the
 *       track's first sample aired: {@code chunkStartedAt - trackOffsetMs}) is more than
 *       {@code alignmentToleranceMs} from every alignment of the airing so far and no earlier than
 *       {@link #REPLAY_END_SLACK_MS} before the airing so far last matched (the new airing follows the old one),
 *       after which none of the old airing's alignments returns, and which most of the detections within the next
 *       {@link #REPLAY_CONFIRM_MS} follow (with none following, the alignment must have moved
 *       {@link #REPLAY_UNCONFIRMED_MIN_MS}). A matcher that places chunks in a copy of an early section mid-song is
 *       not a replay: that places the track's start inside the airing, and the old alignment resumes after it.</li>
 *   <li><b>Two recordings on the same seconds.</b> Candidates are taken strongest first (confidence times matched
 *       seconds, summed over their detections). One that overlaps an accepted play of another recording by more
 *       than {@code crossfadeMs} and for at least half of its own length loses: it is kept in that play's
 *       {@link Alternative}s (the evidence), not listed as a play. Shorter overlaps are crossfades: both stay.</li>
 * </ol>
 *
 * <p>Play id: {@code p-<start epoch ms, 13 digits>-<12 hex>} where the hash covers station, track and the id of
 * the group's first detection (earliest {@code matchStartedAt}, ties by detection id). Detections appended at
 * the end keep the id; a late detection that moves the start earlier changes it, and storage must then replace
 * the old play (see {@link PlayStore}).
 */
public final class PlayAssembler {
    /** Default largest disagreement between two detections' alignments that still counts as one alignment: 5 s. */
    public static final long DEFAULT_ALIGNMENT_TOLERANCE_MS = 5_000;
    /** Default overlap of two recordings' plays that is a crossfade (both stay plays): 8 s. */
    public static final long DEFAULT_CROSSFADE_MS = 8_000;
    /** Longest stretch without detections bridged when both sides follow one alignment, ms. */
    public static final long BRIDGE_MS = 90_000;
    /** A replay must start this close to the track's beginning (track position at the match start), ms. */
    public static final long REPLAY_START_MS = 20_000;
    /** Air time after a replay's first detection in which later detections confirm it, ms. */
    public static final long REPLAY_CONFIRM_MS = 40_000;
    /** With the recording's length known, a replay needs the airing so far to have reached this close to its end, ms. */
    public static final long REPLAY_TRACK_END_MS = 30_000;
    /**
     * A restart of a recording that had not reached its end, with no pause before it (a DJ starting the song again
     * at once), needs a cut in the audio: the old airing's last match ends, or the new one's first match begins
     * (at most {@link #CUT_POSITION_MS} into the track), at least this far inside its chunk, ms. More than the
     * match stage's snap to a chunk's edge (500 ms), so music that goes on never shows a cut.
     */
    public static final long CUT_INSIDE_MS = 700;
    /** How far into the track a restart's first match may begin to show the song beginning again, ms. */
    public static final long CUT_POSITION_MS = 2_000;
    /** Later detections at a mid-track restart's alignment (within {@link #REPLAY_CONFIRM_MS}) that confirm it. */
    public static final int REPLAY_CUT_CONFIRMATIONS = 1;
    /** A replay of a recording that had not reached its end must follow a pause of at least this much, ms. */
    public static final long REPLAY_PAUSE_MS = 5_000;
    /** A replay's first sample airs at most this much before the airing so far last matched, ms. */
    public static final long REPLAY_END_SLACK_MS = 3_000;
    /** With no detection to confirm a replay, the old airing must have run this long before it, ms. */
    public static final long REPLAY_UNCONFIRMED_MIN_MS = 30_000;

    private static final Comparator<Detection> BY_MATCH_START = Comparator.comparing(Detection::matchStartedAt)
            .thenComparing(Detection::detectionId);

    private final long playGapMs;
    private final long alignmentToleranceMs;
    private final long crossfadeMs;

    /**
     * An assembler with the default crossfade allowance ({@link #DEFAULT_CROSSFADE_MS}).
     *
     * @param playGapMs            largest gap between match intervals within one play, ms (>= 0)
     * @param alignmentToleranceMs largest alignment disagreement that counts as one alignment, ms (>= 0)
     * @throws IllegalArgumentException on negative values
     */
    public PlayAssembler(long playGapMs, long alignmentToleranceMs) {
        this(playGapMs, alignmentToleranceMs, DEFAULT_CROSSFADE_MS);
    }

    /**
     * @param playGapMs            largest gap between match intervals within one play, ms (>= 0)
     * @param alignmentToleranceMs largest alignment disagreement that counts as one alignment, ms (>= 0)
     * @param crossfadeMs          largest overlap of two recordings' plays that is a crossfade, ms (>= 0)
     * @throws IllegalArgumentException on negative values
     */
    public PlayAssembler(long playGapMs, long alignmentToleranceMs, long crossfadeMs) {
        if (playGapMs < 0 || alignmentToleranceMs < 0 || crossfadeMs < 0) {
            throw new IllegalArgumentException("playGapMs, alignmentToleranceMs and crossfadeMs must be >= 0");
        }
        this.playGapMs = playGapMs;
        this.alignmentToleranceMs = alignmentToleranceMs;
        this.crossfadeMs = crossfadeMs;
    }

    /** An assembler with the configured gap and the default alignment tolerance and crossfade. */
    public static PlayAssembler from(Settings.Royalty royalty) {
        return new PlayAssembler(royalty.playGapMs(), DEFAULT_ALIGNMENT_TOLERANCE_MS);
    }

    /** Largest gap between match intervals within one play, ms. */
    public long playGapMs() {
        return playGapMs;
    }

    /**
     * Groups detections (of any stations and tracks) into plays, each track id its own recording.
     *
     * @return the plays ordered by start instant, then play id
     * @see #assemble(Collection, Function)
     */
    public List<PlayGroup> assemble(Collection<Detection> detections) {
        return assemble(detections, Detection::trackId);
    }

    /**
     * Groups detections (of any stations and tracks) into plays. Duplicates (same detection id) count once;
     * should two copies differ, the one that sorts first by match start, then chunk id, wins.
     *
     * @param detections  the detections
     * @param recordingOf which recording a detection heard (detections with equal keys are one recording, e.g. by
     *                    ISRC); never null
     * @return the plays ordered by start instant, then play id; losers of an overlap are in their winner's
     *         {@link PlayGroup#alternatives()}
     */
    public List<PlayGroup> assemble(Collection<Detection> detections, Function<Detection, String> recordingOf) {
        return assemble(detections, recordingOf, d -> 0);
    }

    /**
     * Groups detections into plays, knowing the length of the recordings: a replay then also needs the airing so far
     * to have reached the last {@link #REPLAY_TRACK_END_MS} of the recording (it ended before it started again), or
     * a pause of {@link #REPLAY_PAUSE_MS} before it (a snippet, then the song), or a cut in the audio confirmed by
     * {@link #REPLAY_CUT_CONFIRMATIONS} later detections (a DJ starting the song again at once: the old airing's
     * last match ends inside its chunk, or the new one's first match begins inside its chunk at the track's
     * start; see {@link #CUT_INSIDE_MS}).
     *
     * @param detections  the detections
     * @param recordingOf which recording a detection heard (detections with equal keys are one recording)
     * @param durationOf  the length of a detection's recording, ms (0 when unknown)
     * @return the plays ordered by start instant, then play id
     */
    public List<PlayGroup> assemble(Collection<Detection> detections, Function<Detection, String> recordingOf,
                                    ToLongFunction<Detection> durationOf) {
        Map<String, Detection> unique = new TreeMap<>();
        for (Detection d : detections) {
            unique.merge(d.detectionId(), d, (a, b) -> BY_MATCH_START.thenComparing(Detection::chunkId)
                    .compare(a, b) <= 0 ? a : b);
        }
        Map<String, Map<String, List<Detection>>> byStation = new TreeMap<>();
        for (Detection d : unique.values()) {
            byStation.computeIfAbsent(d.stationId(), k -> new TreeMap<>())
                    .computeIfAbsent(recordingOf.apply(d), k -> new ArrayList<>()).add(d);
        }
        List<PlayGroup> out = new ArrayList<>();
        for (Map<String, List<Detection>> byRecording : byStation.values()) {
            List<PlayGroup> candidates = new ArrayList<>();
            for (Map.Entry<String, List<Detection>> e : byRecording.entrySet()) {
                List<Detection> same = e.getValue();
                same.sort(BY_MATCH_START);
                List<long[]> others = new ArrayList<>();
                byRecording.forEach((k, ds) -> {
                    if (!k.equals(e.getKey())) {
                        ds.forEach(o -> others.add(new long[] {o.matchStartedAt().toEpochMilli(),
                                o.matchEndedAt().toEpochMilli()}));
                    }
                });
                for (List<Detection> chain : chains(same, others)) {
                    long duration = 0;
                    for (Detection d : chain) {
                        duration = Math.max(duration, durationOf.applyAsLong(d));
                    }
                    for (List<Detection> airing : splitReplays(chain, duration)) {
                        candidates.add(PlayGroup.of(airing, List.of()));
                    }
                }
            }
            out.addAll(resolveOverlaps(candidates, recordingOf));
        }
        out.sort(Comparator.comparing(PlayGroup::startedAt).thenComparing(PlayGroup::playId));
        return out;
    }

    /** The group in {@code groups} that contains the detection (as a detection or an alternative's), or null. */
    public static PlayGroup containing(List<PlayGroup> groups, String detectionId) {
        for (PlayGroup g : groups) {
            if (g.detectionIds().contains(detectionId)
                    || g.alternatives().stream().anyMatch(a -> a.detectionIds().contains(detectionId))) {
                return g;
            }
        }
        return null;
    }

    /** Epoch ms at which the track's first sample would have aired according to this detection. */
    public static long alignmentMs(Detection d) {
        return d.chunkStartedAt().toEpochMilli() - d.trackOffsetMs();
    }

    /** Track position at the detection's match start, ms. */
    static long positionMs(Detection d) {
        return d.trackOffsetMs() + d.matchStartMs();
    }

    /**
     * The play id for a group: {@code p-<start epoch ms zero-padded to 13>-<12 hex of SHA-256(station, track,
     * first detection id)>}.
     */
    public static String playId(String stationId, String trackId, Instant startedAt, String firstDetectionId) {
        return String.format("p-%013d-%s", startedAt.toEpochMilli(),
                sha256Hex(stationId + "\n" + trackId + "\n" + firstDetectionId).substring(0, 12));
    }

    /**
     * Detections (sorted by match start) cut where the air between two match intervals exceeds the gap, unless
     * both sides follow one alignment (the same airing heard again after a stretch it was drowned out, e.g. music
     * under speech) and the stretch is at most {@link #BRIDGE_MS}.
     */
    private List<List<Detection>> chains(List<Detection> sorted, List<long[]> others) {
        List<List<Detection>> out = new ArrayList<>();
        List<Detection> current = new ArrayList<>();
        long end = Long.MIN_VALUE;
        for (Detection d : sorted) {
            long gap = d.matchStartedAt().toEpochMilli() - end;
            if (!current.isEmpty() && gap > playGapMs
                    && (gap > BRIDGE_MS || Math.abs(alignmentMs(d) - recentAlignment(current, 0, current.size()))
                    > alignmentToleranceMs || heardBetween(others, end, d.matchStartedAt().toEpochMilli()))) {
                out.add(current);
                current = new ArrayList<>();
                end = Long.MIN_VALUE;
            }
            current.add(d);
            end = Math.max(end, d.matchEndedAt().toEpochMilli());
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }

    /** Whether another recording was matched inside {@code (from, to)}: the air between was not this airing's. */
    private static boolean heardBetween(List<long[]> others, long from, long to) {
        for (long[] o : others) {
            if (o[0] > from && o[1] < to) {
                return true;
            }
        }
        return false;
    }

    /** A chain cut where the recording starts again (see the class comment). */
    private List<List<Detection>> splitReplays(List<Detection> chain, long durationMs) {
        List<List<Detection>> out = new ArrayList<>();
        int start = 0;
        long end = Long.MIN_VALUE;
        long reached = Long.MIN_VALUE;
        for (int i = 1; i < chain.size(); i++) {
            Detection previous = chain.get(i - 1);
            end = Math.max(end, previous.matchEndedAt().toEpochMilli());
            reached = Math.max(reached, previous.trackOffsetMs() + previous.matchEndMs());
            Detection d = chain.get(i);
            if (positionMs(d) > REPLAY_START_MS) {
                continue;
            }
            long reference = recentAlignment(chain, start, i);
            long aligned = alignmentMs(d);
            // not at its end and no pause: the matcher's section confusion, unless the audio shows a cut (the old
            // airing stops inside a chunk, or the song begins again inside one) and later detections confirm it
            boolean midTrack = durationMs > 0 && reached < durationMs - REPLAY_TRACK_END_MS
                    && aligned - end < REPLAY_PAUSE_MS;
            if (midTrack && !beginsInside(d) && !stopsInside(chain, start, i)) {
                continue;
            }
            // the track's first sample airs after the airing so far stopped (a copy of an early section matched in
            // the middle of the airing places it before), and at none of the airing's alignments so far
            if (aligned < end - REPLAY_END_SLACK_MS || nearAny(aligned, chain, start, i)) {
                continue;
            }
            long until = d.matchStartedAt().toEpochMilli() + REPLAY_CONFIRM_MS;
            int forNew = 0;
            int against = 0;
            boolean oldResumes = false;
            for (int j = i + 1; j < chain.size(); j++) {
                long a = alignmentMs(chain.get(j));
                if (nearAny(a, chain, start, i)) {
                    oldResumes = true;
                    break;
                }
                if (chain.get(j).matchStartedAt().toEpochMilli() <= until) {
                    if (Math.abs(a - aligned) <= alignmentToleranceMs) {
                        forNew++;
                    } else {
                        against++;
                    }
                }
            }
            boolean confirmed = !oldResumes && (midTrack
                    ? forNew >= REPLAY_CUT_CONFIRMATIONS && forNew > against
                    : forNew > against || (forNew == 0 && against == 0 && aligned - reference >= REPLAY_UNCONFIRMED_MIN_MS));
            if (confirmed) {
                out.add(chain.subList(start, i));
                start = i;
                end = Long.MIN_VALUE;
                reached = Long.MIN_VALUE;
            }
        }
        out.add(chain.subList(start, chain.size()));
        return out;
    }

    /**
     * Whether the detection hears the recording begin inside its chunk: its match starts {@link #CUT_INSIDE_MS} or
     * more into the chunk, at most {@link #CUT_POSITION_MS} into the track.
     */
    private static boolean beginsInside(Detection d) {
        return d.matchStartMs() >= CUT_INSIDE_MS && positionMs(d) <= CUT_POSITION_MS;
    }

    /**
     * Whether the airing {@code chain[from, to)} stops inside a chunk: the detection that ends last ends
     * {@link #CUT_INSIDE_MS} or more before its chunk does (the match stage's span ends where the music stops).
     */
    private static boolean stopsInside(List<Detection> chain, int from, int to) {
        Detection last = chain.get(from);
        for (int k = from + 1; k < to; k++) {
            if (chain.get(k).matchEndedAt().isAfter(last.matchEndedAt())) {
                last = chain.get(k);
            }
        }
        return last.matchEndMs() <= last.chunkDurationMs() - CUT_INSIDE_MS;
    }

    /** Whether an alignment is within the tolerance of any alignment of {@code chain[from, to)}. */
    private boolean nearAny(long alignment, List<Detection> chain, int from, int to) {
        for (int k = from; k < to; k++) {
            if (Math.abs(alignmentMs(chain.get(k)) - alignment) <= alignmentToleranceMs) {
                return true;
            }
        }
        return false;
    }

    /** Median alignment of the (up to) three latest detections of {@code chain[from, to)}. */
    private static long recentAlignment(List<Detection> chain, int from, int to) {
        int first = Math.max(from, to - 3);
        long[] a = new long[to - first];
        for (int k = first; k < to; k++) {
            a[k - first] = alignmentMs(chain.get(k));
        }
        java.util.Arrays.sort(a);
        return a[a.length / 2];
    }

    /** Strongest first; a candidate mostly inside a stronger play of another recording becomes its alternative. */
    private List<PlayGroup> resolveOverlaps(List<PlayGroup> candidates, Function<Detection, String> recordingOf) {
        candidates.sort(Comparator.comparingDouble(PlayGroup::strength).reversed()
                .thenComparing(PlayGroup::startedAt).thenComparing(PlayGroup::playId));
        List<PlayGroup> accepted = new ArrayList<>();
        Map<PlayGroup, List<Alternative>> alternatives = new java.util.IdentityHashMap<>();
        for (PlayGroup c : candidates) {
            String key = recordingOf.apply(c.detections().get(0));
            PlayGroup winner = null;
            long most = 0;
            for (PlayGroup a : accepted) {
                if (recordingOf.apply(a.detections().get(0)).equals(key)) {
                    continue;
                }
                long overlap = Math.min(a.endedAt().toEpochMilli(), c.endedAt().toEpochMilli())
                        - Math.max(a.startedAt().toEpochMilli(), c.startedAt().toEpochMilli());
                if (overlap > most) {
                    most = overlap;
                    winner = a;
                }
            }
            if (winner != null && most > crossfadeMs && most * 2 >= c.durationMs()) {
                alternatives.computeIfAbsent(winner, k -> new ArrayList<>()).add(alternativeOf(c));
            } else {
                accepted.add(c);
            }
        }
        List<PlayGroup> out = new ArrayList<>();
        for (PlayGroup a : accepted) {
            List<Alternative> alts = alternatives.getOrDefault(a, List.of());
            out.add(alts.isEmpty() ? a : PlayGroup.of(a.detections(), alts));
        }
        return out;
    }

    private static Alternative alternativeOf(PlayGroup g) {
        return new Alternative(g.trackId(), g.startedAt(), g.endedAt(), g.confidence(),
                Math.round(g.strength() * 1000) / 1000.0, g.detectionIds());
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
     * @param trackId      track (of a recording heard under several ids: the one most of its own-index detections,
     *                     else most of its detections, name)
     * @param startedAt    earliest match start
     * @param endedAt      latest match end
     * @param confidence   highest detection confidence
     * @param source       LOCAL when any detection came from the own index, else ACRCLOUD
     * @param detectionIds sorted detection ids
     * @param chunkIds     sorted, distinct chunk ids
     * @param detections   the detections, by match start
     * @param alternatives recordings that lost these seconds to this play, strongest first
     */
    public record PlayGroup(String playId, String stationId, String trackId, Instant startedAt, Instant endedAt,
                            double confidence, Detection.Source source, List<String> detectionIds,
                            List<String> chunkIds, List<Detection> detections, List<Alternative> alternatives) {
        public PlayGroup {
            detectionIds = List.copyOf(detectionIds);
            chunkIds = List.copyOf(chunkIds);
            detections = List.copyOf(detections);
            alternatives = alternatives == null ? List.of() : List.copyOf(alternatives);
        }

        static PlayGroup of(List<Detection> sortedByStart, List<Alternative> alternatives) {
            Detection first = sortedByStart.get(0);
            Instant start = first.matchStartedAt();
            Instant end = sortedByStart.stream().map(Detection::matchEndedAt).max(Comparator.naturalOrder()).orElseThrow();
            double confidence = sortedByStart.stream().mapToDouble(Detection::confidence).max().orElse(0);
            Detection.Source source = sortedByStart.stream().anyMatch(d -> d.source() == Detection.Source.LOCAL)
                    ? Detection.Source.LOCAL : Detection.Source.ACRCLOUD;
            String trackId = representative(sortedByStart, source);
            List<String> detectionIds = sortedByStart.stream().map(Detection::detectionId).sorted().toList();
            List<String> chunkIds = sortedByStart.stream().map(Detection::chunkId).distinct().sorted().toList();
            List<Alternative> alts = new ArrayList<>(alternatives);
            alts.sort(Comparator.comparingDouble(Alternative::strength).reversed()
                    .thenComparing(Alternative::startedAt).thenComparing(Alternative::trackId));
            return new PlayGroup(PlayAssembler.playId(first.stationId(), trackId, start, first.detectionId()),
                    first.stationId(), trackId, start, end, confidence, source, detectionIds, chunkIds,
                    sortedByStart, alts);
        }

        private static String representative(List<Detection> ds, Detection.Source source) {
            Map<String, Integer> votes = new TreeMap<>();
            for (Detection d : ds) {
                if (d.source() == source) {
                    votes.merge(d.trackId(), 1, Integer::sum);
                }
            }
            return votes.entrySet().stream().max(Map.Entry.<String, Integer>comparingByValue()
                    .thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder()))).orElseThrow().getKey();
        }

        /** End minus start, ms. */
        public long durationMs() {
            return endedAt.toEpochMilli() - startedAt.toEpochMilli();
        }

        /** Evidence: confidence times matched seconds, summed over the detections. */
        public double strength() {
            double s = 0;
            for (Detection d : detections) {
                s += d.confidence() * Math.max(0.5, (d.matchEndMs() - d.matchStartMs()) / 1000.0);
            }
            return s;
        }

        /** Every detection id this group accounts for: its own and its alternatives'. */
        public List<String> allDetectionIds() {
            List<String> all = new ArrayList<>(detectionIds);
            alternatives.forEach(a -> all.addAll(a.detectionIds()));
            return all;
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
                    detectionIds, chunkIds, recording, proMapping, updatedAt, alternatives);
        }
    }
}
