package io.spinledger.cli.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Scores one station's play log (the plays {@code GET /plays} lists) against the truth of what aired. Pure logic.
 *
 * <p>Rules. An airing of a registered track is <em>found</em> when a listed play of that track overlaps at least
 * half of it. Each such (play, airing) pair is a candidate; candidates are taken in order of overlap, largest
 * first, and each airing goes to the first play that claims it, so one airing has at most one play (a play may
 * claim two airings when it covers both, e.g. one play over a track aired twice back to back: it is matched,
 * and its note says it merged them). Every listed play gets a verdict:
 * <ul>
 *   <li>{@code MATCHED}: it claimed an airing (a play claims one at most: the airing it covers most of that no
 *       play covering more claimed; one play over two airings finds one);</li>
 *   <li>{@code DUPLICATE}: it covers half of an airing of its track that another play claimed (a second play on
 *       one airing);</li>
 *   <li>{@code FRAGMENT}: it overlaps an airing of its track, but less than half of it;</li>
 *   <li>{@code FALSE}: it overlaps no airing of its track (talk, a jingle, another track, an unregistered
 *       track).</li>
 * </ul>
 * Recall = found airings / airings of registered tracks; precision = matched plays / listed plays (every listed
 * play counts, whatever its status). Start and end errors are those of the matched plays (play start minus its
 * first airing's start, play end minus its last airing's end).
 *
 * <p>Paid seconds. A posted play's seconds ({@code durationMs}) are shared among the airings of its track it
 * overlaps, in proportion to the overlap; an airing's paid seconds are its shares. The expected pay of an
 * airing is its length when it is at least the rate card's minimum, else nothing; it is paid right when the
 * two are within the tolerance and the airing was found (or is expected unpaid). Posted seconds that overlap no airing of their track are paid for nothing.
 */
public final class PlayScoring {
    /** Statuses of a final play (the rest, OPEN or PROVISIONAL or any new one, may still change). */
    public static final Set<String> FINAL_STATUSES = Set.of("CLOSED", "POSTED");

    private PlayScoring() {
    }

    /**
     * One airing in the truth, in ms from the start of the broadcast.
     *
     * @param id         index in the truth list, shown in reports
     * @param track      track name (the file name without {@code .ogg})
     * @param startMs    first audible sample, ms
     * @param endMs      last audible sample, ms
     * @param registered whether the track is in the catalog (unregistered airings must never be claimed)
     * @param change     what was done to it (loops, speed, talk-over...), for reports
     */
    public record Airing(int id, String track, long startMs, long endMs, boolean registered, String change) {
        /** Length, ms. */
        public long durationMs() {
            return endMs - startMs;
        }
    }

    /**
     * One play as listed, in ms from the start of the broadcast.
     *
     * @param playId     the play's id
     * @param track      track name (mapped from the trackId; the trackId itself when not one of ours)
     * @param startMs    start, ms
     * @param endMs      end, ms
     * @param durationMs the play's own duration (what posting pays), ms
     * @param status     OPEN, PROVISIONAL, CLOSED, POSTED...
     */
    public record ListedPlay(String playId, String track, long startMs, long endMs, long durationMs, String status) {
        /** CLOSED or POSTED. */
        public boolean isFinal() {
            return FINAL_STATUSES.contains(status);
        }

        /** Posted to the ledger. */
        public boolean isPosted() {
            return "POSTED".equals(status);
        }
    }

    /** What a listed play is, compared with the truth. */
    public enum Verdict { MATCHED, DUPLICATE, FRAGMENT, FALSE }

    /**
     * A listed play and its verdict.
     *
     * @param play         the play
     * @param verdict      its verdict
     * @param airingIds    MATCHED: the airings it claimed; DUPLICATE/FRAGMENT: the airings of its track it overlaps
     * @param startErrorMs MATCHED: play start minus first claimed airing's start, ms (0 otherwise)
     * @param endErrorMs   MATCHED: play end minus last claimed airing's end, ms (0 otherwise)
     * @param note         for reports: merged airings, or what a false play overlaps
     */
    public record PlayResult(ListedPlay play, Verdict verdict, List<Integer> airingIds, long startErrorMs,
                             long endErrorMs, String note) {
    }

    /**
     * An airing of a registered track and what the log says about it.
     *
     * @param airing         the airing
     * @param playId         the play that claimed it, or null (missed)
     * @param paidMs         seconds of posted plays attributed to it, ms
     * @param expectedPaidMs its length when at least the minimum paid duration, else 0, ms
     * @param paidRight      |paid - expected| within the tolerance
     */
    public record AiringResult(Airing airing, String playId, long paidMs, long expectedPaidMs, boolean paidRight) {
        /** Whether a play claimed it. */
        public boolean found() {
            return playId != null;
        }
    }

    /**
     * Median and 90th percentile (nearest rank) of absolute errors.
     *
     * @param n       values
     * @param medianS median, s (NaN when none)
     * @param p90S    90th percentile, s (NaN when none)
     */
    public record Stats(int n, double medianS, double p90S) {
        /** Of absolute values in ms. */
        public static Stats ofAbsMs(List<Long> valuesMs) {
            List<Double> s = valuesMs.stream().map(v -> Math.abs(v) / 1000.0).toList();
            return new Stats(s.size(), quantile(s, 0.5), quantile(s, 0.9));
        }
    }

    /**
     * The score of one station.
     *
     * @param plays            every listed play with its verdict, in start order
     * @param airings          every airing of a registered track, in truth order
     * @param listed           listed plays
     * @param matched          MATCHED plays
     * @param duplicates       DUPLICATE plays
     * @param fragments        FRAGMENT plays
     * @param falsePlays       FALSE plays
     * @param notFinal         listed plays not CLOSED or POSTED
     * @param truthAirings     airings of registered tracks
     * @param found            of those, found
     * @param recall           found / truthAirings (NaN when there are none)
     * @param precision        matched / listed (NaN when nothing is listed)
     * @param startError       of matched plays
     * @param endError         of matched plays
     * @param paidRight        airings paid within the tolerance of their expected pay
     * @param paidForNothingMs posted seconds that overlap no airing of their track, ms
     */
    public record Score(List<PlayResult> plays, List<AiringResult> airings, int listed, int matched, int duplicates,
                        int fragments, int falsePlays, int notFinal, int truthAirings, int found, double recall,
                        double precision, Stats startError, Stats endError, int paidRight, long paidForNothingMs) {
        /** paidRight / truthAirings (NaN when there are none). */
        public double paidRightShare() {
            return truthAirings == 0 ? Double.NaN : (double) paidRight / truthAirings;
        }
    }

    /**
     * Scores a play log.
     *
     * @param truth           every airing (registered and unregistered tracks), ms from the broadcast start
     * @param plays           the listed plays, ms from the broadcast start
     * @param minPaidMs       the rate card's minimum paid duration, ms
     * @param paidToleranceMs how far paid seconds may be from the truth and still count as right, ms
     */
    public static Score score(List<Airing> truth, List<ListedPlay> plays, long minPaidMs, long paidToleranceMs) {
        List<ListedPlay> ordered = plays.stream().sorted(Comparator.comparingLong(ListedPlay::startMs)
                .thenComparing(ListedPlay::playId)).toList();
        List<Airing> registered = truth.stream().filter(Airing::registered).toList();

        record Pair(int play, Airing airing, long overlap) {
        }
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < ordered.size(); i++) {
            ListedPlay p = ordered.get(i);
            for (Airing a : registered) {
                long o = overlap(p, a);
                if (a.track().equals(p.track()) && o > 0 && 2 * o >= a.durationMs()) {
                    pairs.add(new Pair(i, a, o));
                }
            }
        }
        pairs.sort(Comparator.comparingLong(Pair::overlap).reversed().thenComparingInt(Pair::play)
                .thenComparingInt(x -> x.airing().id()));
        Map<Integer, Integer> claimedBy = new HashMap<>();
        Map<Integer, List<Airing>> claims = new HashMap<>();
        for (Pair x : pairs) {
            if (!claimedBy.containsKey(x.airing().id()) && !claims.containsKey(x.play())) { // one airing per play
                claimedBy.put(x.airing().id(), x.play());
                claims.computeIfAbsent(x.play(), k -> new ArrayList<>()).add(x.airing());
            }
        }

        List<PlayResult> results = new ArrayList<>();
        List<Long> startErr = new ArrayList<>();
        List<Long> endErr = new ArrayList<>();
        int matched = 0;
        int duplicates = 0;
        int fragments = 0;
        int falsePlays = 0;
        for (int i = 0; i < ordered.size(); i++) {
            ListedPlay p = ordered.get(i);
            List<Airing> mine = claims.getOrDefault(i, List.of());
            if (!mine.isEmpty()) {
                List<Airing> sorted = mine.stream().sorted(Comparator.comparingLong(Airing::startMs)).toList();
                long se = p.startMs() - sorted.get(0).startMs();
                long ee = p.endMs() - sorted.get(sorted.size() - 1).endMs();
                startErr.add(se);
                endErr.add(ee);
                matched++;
                final int playIndex = i;
                List<Integer> alsoOver = pairs.stream().filter(x -> x.play() == playIndex)
                        .map(x -> x.airing().id()).filter(id -> id != sorted.get(0).id()).sorted().toList();
                results.add(new PlayResult(p, Verdict.MATCHED, sorted.stream().map(Airing::id).toList(), se, ee,
                        alsoOver.isEmpty() ? "" : "also over " + alsoOver.stream().map(id -> "#" + id)
                                .collect(java.util.stream.Collectors.joining(" ")) + " (airings merged)"));
                continue;
            }
            final int playIndex = i;
            List<Integer> halfCovered = pairs.stream().filter(x -> x.play() == playIndex)
                    .map(x -> x.airing().id()).sorted().toList();
            if (!halfCovered.isEmpty()) {
                duplicates++;
                results.add(new PlayResult(p, Verdict.DUPLICATE, halfCovered, 0, 0,
                        "second play on #" + halfCovered.get(0)));
                continue;
            }
            List<Integer> touched = registered.stream().filter(a -> a.track().equals(p.track()) && overlap(p, a) > 0)
                    .map(Airing::id).toList();
            if (!touched.isEmpty()) {
                fragments++;
                results.add(new PlayResult(p, Verdict.FRAGMENT, touched, 0, 0, "part of #" + touched.get(0)));
                continue;
            }
            falsePlays++;
            results.add(new PlayResult(p, Verdict.FALSE, List.of(), 0, 0, falseNote(p, truth)));
        }

        Map<Integer, Long> paid = new HashMap<>();
        long paidForNothing = 0;
        for (ListedPlay p : ordered) {
            if (!p.isPosted()) {
                continue;
            }
            Map<Integer, Long> over = new LinkedHashMap<>();
            for (Airing a : registered) {
                long o = overlap(p, a);
                if (a.track().equals(p.track()) && o > 0) {
                    over.put(a.id(), o);
                }
            }
            long total = over.values().stream().mapToLong(Long::longValue).sum();
            if (total == 0) {
                paidForNothing += p.durationMs();
                continue;
            }
            for (Map.Entry<Integer, Long> e : over.entrySet()) {
                paid.merge(e.getKey(), Math.round((double) p.durationMs() * e.getValue() / total), Long::sum);
            }
        }
        List<AiringResult> airings = new ArrayList<>();
        int found = 0;
        int paidRight = 0;
        for (Airing a : registered) {
            Integer by = claimedBy.get(a.id());
            long expected = a.durationMs() >= minPaidMs ? a.durationMs() : 0;
            long got = paid.getOrDefault(a.id(), 0L);
            // seconds paid inside another airing's play do not pay this airing as a play of its own
            boolean right = Math.abs(got - expected) <= paidToleranceMs && (by != null || expected == 0);
            found += by == null ? 0 : 1;
            paidRight += right ? 1 : 0;
            airings.add(new AiringResult(a, by == null ? null : ordered.get(by).playId(), got, expected, right));
        }
        int notFinal = (int) ordered.stream().filter(p -> !p.isFinal()).count();
        return new Score(results, airings, ordered.size(), matched, duplicates, fragments, falsePlays, notFinal,
                registered.size(), found, registered.isEmpty() ? Double.NaN : (double) found / registered.size(),
                ordered.isEmpty() ? Double.NaN : (double) matched / ordered.size(), Stats.ofAbsMs(startErr),
                Stats.ofAbsMs(endErr), paidRight, paidForNothing);
    }

    /** What a false play lies over most: an airing (of another or an unregistered track) or talk and jingles. */
    private static String falseNote(ListedPlay p, List<Airing> truth) {
        Airing best = null;
        long bestOverlap = 0;
        for (Airing a : truth) {
            long o = overlap(p, a);
            if (o > bestOverlap) {
                best = a;
                bestOverlap = o;
            }
        }
        if (best == null) {
            return "over talk/jingles";
        }
        return "over #" + best.id() + " " + best.track() + (best.registered() ? "" : " (unregistered)");
    }

    /** Overlap of a play and an airing, ms (0 when apart). */
    static long overlap(ListedPlay p, Airing a) {
        return Math.max(0, Math.min(p.endMs(), a.endMs()) - Math.max(p.startMs(), a.startMs()));
    }

    /**
     * Whether a listed play is a (possibly provisional) listing of a registered airing: same track, starting at most
     * 10 s before the airing and before its end. What the live benches call "the first listing of an airing".
     */
    public static boolean listsAiring(ListedPlay p, Airing a) {
        return a.registered() && a.track().equals(p.track()) && p.startMs() >= a.startMs() - 10_000
                && p.startMs() < a.endMs();
    }

    /** Nearest-rank quantile (the smallest value with at least q of the values at or below it); NaN when empty. */
    public static double quantile(List<Double> values, double q) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] a = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        int rank = (int) Math.ceil(q * a.length);
        return a[Math.max(0, Math.min(a.length - 1, rank - 1))];
    }
}
