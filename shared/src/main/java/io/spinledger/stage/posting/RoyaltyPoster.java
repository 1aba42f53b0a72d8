package io.spinledger.stage.posting;

import io.spinledger.domain.DetectionMessage;
import io.spinledger.domain.LedgerTransaction;
import io.spinledger.domain.Play;
import io.spinledger.domain.Station;
import io.spinledger.ledger.Ledger;
import io.spinledger.stage.plays.PlayStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Play assembly and posting as one domain service: detections in, plays derived, closed plays posted to the
 * ledger. The playAssembly function calls {@link #accept} per message and the scheduled playPosting calls
 * {@link #closeAndPost}.
 *
 * <p>Idempotent and order-independent: a redelivered or reordered message ends in the same plays, a play
 * posts at most once per rule version (ledger idempotency key), and a crash between posting and marking the
 * play POSTED is repaired by the next run (the ledger answers ALREADY_POSTED and the play is marked).
 */
public final class RoyaltyPoster {
    private static final Logger log = LoggerFactory.getLogger(RoyaltyPoster.class);

    private final PlayStore plays;
    private final Ledger ledger;
    private final RoyaltyCalculator calculator;

    /**
     * @param plays      play storage
     * @param ledger     the ledger
     * @param calculator rate card and splits
     */
    public RoyaltyPoster(PlayStore plays, Ledger ledger, RoyaltyCalculator calculator) {
        this.plays = plays;
        this.ledger = ledger;
        this.calculator = calculator;
    }

    /**
     * What one {@link #closeAndPost} run did.
     *
     * @param closedPlayIds     plays closed in this run
     * @param posted            transactions posted in this run
     * @param alreadyPostedKeys idempotency keys found already posted (the play was then only marked POSTED)
     * @param notPaidPlayIds    final plays that earn nothing (too short, or an amount of zero)
     * @param failed            play id -> reason for plays left CLOSED to retry (unknown station, no rate...)
     */
    public record Report(List<String> closedPlayIds, List<LedgerTransaction> posted, List<String> alreadyPostedKeys,
                         List<String> notPaidPlayIds, Map<String, String> failed) {
        public Report {
            closedPlayIds = List.copyOf(closedPlayIds);
            posted = List.copyOf(posted);
            alreadyPostedKeys = List.copyOf(alreadyPostedKeys);
            notPaidPlayIds = List.copyOf(notPaidPlayIds);
            failed = Map.copyOf(failed);
        }
    }

    /**
     * Records one detection and re-derives its play.
     *
     * @throws IllegalArgumentException when the message lacks its detection's ids
     */
    public PlayStore.RecordOutcome accept(DetectionMessage message) {
        return plays.recordDetection(message);
    }

    /**
     * Makes final the plays the station watermarks passed ({@link PlayStore#closeDuePlays}), rates them and brings
     * the ledger in line with each: a new final play is posted; a play revised by late detections has its active
     * posting reversed and its new form posted, atomically and audited ({@link Ledger#replace}); a superseded play
     * has its postings reversed; a play that earns nothing is marked not paid. Also finishes what a crashed run
     * left. Safe to run twice: a play whose active posting already equals what the rules give is only marked.
     *
     * @param now      the processing instant (decides which plays are due, stamps the postings)
     * @param stations station lookup by id (null for an unknown station: the play stays CLOSED and is reported)
     */
    public Report closeAndPost(Instant now, Function<String, Station> stations) {
        List<String> closed = new ArrayList<>();
        List<LedgerTransaction> posted = new ArrayList<>();
        List<String> already = new ArrayList<>();
        List<String> notPaid = new ArrayList<>();
        Map<String, String> failed = new LinkedHashMap<>();
        for (Play play : plays.closeDuePlays(now)) {
            if (play.updatedAt() != null && play.updatedAt().equals(now)) { // closed by this run
                closed.add(play.playId());
            }
            try {
                List<LedgerTransaction> active = ledger.activePostings(play.playId());
                if (play.status() == Play.Status.SUPERSEDED) {
                    posted.addAll(ledger.replace(play.playId(), active, null, SYSTEM,
                            "superseded: late detections re-derived this air time", now));
                    plays.markSettled(play);
                    continue;
                }
                Station station = play.royaltyEligible() ? stations.apply(play.stationId()) : null;
                if (play.royaltyEligible() && station == null) {
                    failed.put(play.playId(), "unknown station " + play.stationId());
                    continue;
                }
                Optional<LedgerTransaction> tx = play.royaltyEligible()
                        ? calculator.calculate(play, station, now) : Optional.empty();
                if (tx.isEmpty()) {
                    if (!active.isEmpty()) {
                        posted.addAll(ledger.replace(play.playId(), active, null, SYSTEM,
                                "revised: the play's final form is not paid", now));
                    }
                    plays.markNotPaid(play);
                    notPaid.add(play.playId());
                    continue;
                }
                LedgerTransaction want = tx.get();
                if (active.size() == 1 && active.get(0).entries().equals(want.entries())) {
                    already.add(active.get(0).idempotencyKey());
                    plays.markPosted(play, active.get(0).idempotencyKey());
                    continue;
                }
                if (active.isEmpty() && ledger.transaction(want.idempotencyKey()).isEmpty()) {
                    Ledger.PostResult result = ledger.post(want);
                    if (result.status() == Ledger.PostStatus.POSTED) {
                        posted.add(result.transaction());
                    } else {
                        already.add(want.idempotencyKey());
                    }
                    plays.markPosted(play, want.idempotencyKey());
                    continue;
                }
                LedgerTransaction revision = revisionOf(want, ledger.transactionsOfPlay(play.playId()));
                posted.addAll(ledger.replace(play.playId(), active, revision, SYSTEM,
                        "revised: late detections changed the play to " + play.durationMs() / 1000 + " s", now));
                plays.markPosted(play, revision.idempotencyKey());
            } catch (RuntimeException e) {
                log.warn("play {} of station {} not posted: {}", play.playId(), play.stationId(), e.toString());
                failed.put(play.playId(), e.getMessage() == null ? e.toString() : e.getMessage());
            }
        }
        return new Report(closed, posted, already, notPaid, failed);
    }

    /** Actor of the postings, reversals and revisions the pipeline makes by itself. */
    public static final String SYSTEM = "system:play-posting";

    /**
     * The posting of a revised play: the rules' transaction under the key {@code <key>#R<n>}, n counting the play's
     * earlier postings (each key posts at most once, and the first posting of a play keeps the plain key).
     */
    static LedgerTransaction revisionOf(LedgerTransaction want, List<LedgerTransaction> history) {
        long n = history.stream().filter(t -> t.kind() == LedgerTransaction.Kind.POSTING).count();
        String key = want.idempotencyKey() + "#R" + n;
        return new LedgerTransaction(Ledger.transactionId(key), key, want.playId(), want.stationId(),
                want.ruleVersion(), want.postedAt(), want.description() + " (revision " + n + ")", want.entries(),
                want.detectionIds(), want.chunkIds(), LedgerTransaction.Kind.POSTING, null);
    }

    /**
     * What a re-rate did.
     *
     * @param written   transactions written (reversals and reposts)
     * @param unchanged plays already rated under the target version (or never paid under either)
     * @param failed    play id -> reason (unknown station, open dispute, no rate...)
     */
    public record RerateReport(List<LedgerTransaction> written, List<String> unchanged, Map<String, String> failed) {
        public RerateReport {
            written = List.copyOf(written);
            unchanged = List.copyOf(unchanged);
            failed = Map.copyOf(failed);
        }
    }

    /**
     * Re-rates plays under another rule version: for each play, its active postings under other versions are
     * reversed and the play is posted under {@code target}, atomically (one DynamoDB transaction per play, with
     * its audit record). Idempotent: running it again writes nothing. A play under an open dispute is left
     * alone (reported as failed). A version whose posting of a play was once reversed is not posted again for
     * that play (each idempotency key posts at most once).
     *
     * @param plays    the period's final plays (CLOSED or POSTED)
     * @param stations station lookup by id
     * @param target   the rule version to apply
     * @param actor    who asked
     * @param reason   why
     * @param at       posting instant of the reversals and reposts
     */
    public RerateReport rerate(List<Play> plays, Function<String, Station> stations, RateCard target, String actor,
                               String reason, Instant at) {
        List<LedgerTransaction> written = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        Map<String, String> failed = new LinkedHashMap<>();
        for (Play play : plays) {
            try {
                Station station = stations.apply(play.stationId());
                if (station == null) {
                    failed.put(play.playId(), "unknown station " + play.stationId());
                    continue;
                }
                List<LedgerTransaction> active = ledger.activePostings(play.playId());
                List<LedgerTransaction> toReverse = active.stream()
                        .filter(t -> !t.ruleVersion().equals(target.ruleVersion())).toList();
                boolean hasTarget = active.size() > toReverse.size();
                Optional<LedgerTransaction> repost = hasTarget || !play.royaltyEligible() && active.isEmpty()
                        ? Optional.empty() : RoyaltyCalculator.calculate(play, station, at, target);
                if (toReverse.isEmpty() && repost.isEmpty()) {
                    unchanged.add(play.playId());
                    continue;
                }
                written.addAll(ledger.replace(play.playId(), toReverse, repost.orElse(null), actor, reason, at));
            } catch (RuntimeException e) {
                failed.put(play.playId(), e.getMessage() == null ? e.toString() : e.getMessage());
            }
        }
        return new RerateReport(written, unchanged, failed);
    }

    /**
     * A play whose ledger disagrees with a recomputation.
     *
     * @param playId   the play
     * @param expected the posting the rules give now (null when the play is not paid)
     * @param active   the active postings in the ledger
     */
    public record Difference(String playId, LedgerTransaction expected, List<LedgerTransaction> active) {
    }

    /**
     * Recomputes a closed period from its plays under the rules and compares with the ledger's active postings:
     * same idempotency key, same lines (account, amount, currency, memo). Empty when the period reproduces.
     *
     * @param plays    the period's final plays
     * @param stations station lookup by id
     */
    public List<Difference> recompute(List<Play> plays, Function<String, Station> stations) {
        List<Difference> out = new ArrayList<>();
        for (Play play : plays) {
            if (play.status() == Play.Status.OPEN) {
                continue;
            }
            Station station = stations.apply(play.stationId());
            LedgerTransaction expected = station == null || !play.royaltyEligible() ? null
                    : calculator.calculate(play, station, Instant.EPOCH).orElse(null);
            List<LedgerTransaction> active = ledger.activePostings(play.playId());
            boolean same = expected == null ? active.isEmpty()
                    : active.size() == 1 && active.get(0).idempotencyKey().equals(expected.idempotencyKey())
                    && active.get(0).entries().equals(expected.entries());
            if (!same) {
                out.add(new Difference(play.playId(), expected, active));
            }
        }
        return out;
    }
}
