package io.spinledger.sim;

import io.spinledger.config.QueueName;
import io.spinledger.config.Settings;
import io.spinledger.domain.DetectionMessage;
import io.spinledger.ports.Contention;
import io.spinledger.ports.ManualClock;
import io.spinledger.ports.Write;
import io.spinledger.stage.capture.ChunkLog;
import io.spinledger.stage.plays.PlayAssembler;
import io.spinledger.stage.posting.RoyaltyPoster;
import io.spinledger.config.TableName;
import io.spinledger.domain.LedgerEntry;
import io.spinledger.domain.LedgerTransaction;
import io.spinledger.domain.Play;
import io.spinledger.domain.Station;
import io.spinledger.json.Json;
import io.spinledger.ledger.Ledger;
import io.spinledger.ledger.Statements;
import io.spinledger.ports.InMemoryQueue;
import io.spinledger.ports.InMemoryTableStore;
import io.spinledger.ports.Item;
import io.spinledger.ports.MessageQueue;
import io.spinledger.stage.fallback.FallbackIdentifier;
import io.spinledger.stage.plays.PlayStore;
import io.spinledger.stage.posting.RoyaltyCalculator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What must hold after every simulated run, whatever the seed did:
 * <ol>
 *   <li>no message is left in a queue or dead-lettered;</li>
 *   <li>the ledger balances per currency, and each stored balance equals the sum of its account's entries;</li>
 *   <li>every play is final; each POSTED play has exactly one active posting, equal to what the rate card gives
 *       for the play as it finally stands; no CLOSED, SUPERSEDED or vanished play holds money;</li>
 *   <li>each airing of the truth is paid at most once (no fragments);</li>
 *   <li>the final play log and what each play is paid equal those of a reference run: the same detections and
 *       chunk outcomes fed in air-time order, once each, without faults, to a fresh play store and posting;</li>
 *   <li>no detection is lost: each one is stored and is in a final play, or is a play's alternative;
 *       each chunk sent to the fallback stage ends in a detection or an "unidentified" record with a reason;</li>
 *   <li>ACRCloud answers at most once per chunk and never more often per day than the budget;</li>
 *   <li>when nothing goes wrong ({@link Profile#noiseless()}), every whole airing of at least 45 s is paid,
 *       exactly once;</li>
 *   <li>statements recompute from the postings: each account's statement closes at its ledger balance.</li>
 * </ol>
 */
final class Invariants {
    private final Broadcast broadcast;
    private final InMemoryTableStore memory;
    private final PlayStore plays;
    private final Ledger ledger;
    private final RoyaltyCalculator calculator;
    private final FallbackIdentifier fallback;
    private final FakeAcrCloud acr;
    private final Profile profile;
    private final Map<String, Station> stations;
    private List<Play> allPlays = List.of();
    private int superseded;

    Invariants(Broadcast broadcast, InMemoryTableStore memory, PlayStore plays, Ledger ledger,
               RoyaltyCalculator calculator, FallbackIdentifier fallback, FakeAcrCloud acr, Profile profile,
               Map<String, Station> stations) {
        this.broadcast = broadcast;
        this.memory = memory;
        this.plays = plays;
        this.ledger = ledger;
        this.calculator = calculator;
        this.fallback = fallback;
        this.acr = acr;
        this.profile = profile;
        this.stations = stations;
    }

    List<String> check(Map<QueueName, InMemoryQueue> queues, Set<String> sentDetections, List<String> fallbackChunks,
                       Map<String, String> lastErrors) {
        List<String> v = new ArrayList<>();
        for (InMemoryQueue q : queues.values()) {
            if (q.depth() > 0) {
                v.add("queue " + q.name() + " still holds " + q.depth() + " messages");
            }
            for (MessageQueue.Received m : q.deadLetterMessages()) {
                v.add("dead-lettered on " + q.name() + " after " + (m.receiveCount() - 1) + " receives (last error "
                        + lastErrors.getOrDefault(m.messageId(), "none") + "): " + abbreviate(m.body()));
            }
        }
        List<Play> ps = new ArrayList<>();
        for (Item i : memory.dump(TableName.PLAYS)) {
            if (i.sk().startsWith("p-")) {
                Play p = Json.read(i.doc(), Play.class);
                if (p.status() == Play.Status.SUPERSEDED) {
                    superseded++;
                    if (i.num("unsettled", 0) != 0) {
                        v.add("SUPERSEDED play " + p.playId() + " was never settled");
                    }
                    if (!ledger.activePostings(p.playId()).isEmpty()) {
                        v.add("SUPERSEDED play " + p.playId() + " holds postings "
                                + keys(ledger.activePostings(p.playId())));
                    }
                    supersededIds.add(p.playId());
                    continue;
                }
                ps.add(p);
            } else if (!i.sk().equals("TIMELINE")) {
                v.add("unexpected item " + i.sk() + " in the plays table");
            }
        }
        allPlays = ps;
        checkLedger(v);
        checkPlays(v);
        checkAirings(v, v);
        checkReference(v);
        checkDetections(v, sentDetections, fallbackChunks);
        checkAcr(v);
        checkStatements(v);
        return v;
    }

    private void checkLedger(List<String> v) {
        Map<String, Long> perCurrency = new TreeMap<>();
        Map<String, Long> perAccount = new TreeMap<>();
        for (LedgerTransaction tx : ledger.allTransactions()) {
            long sum = 0;
            for (LedgerEntry e : tx.entries()) {
                sum += e.amountMinor();
                perCurrency.merge(e.currency(), e.amountMinor(), Long::sum);
                perAccount.merge(e.account() + " " + e.currency(), e.amountMinor(), Long::sum);
            }
            if (sum != 0) {
                v.add("transaction " + tx.idempotencyKey() + " does not balance: " + sum);
            }
        }
        perCurrency.forEach((c, sum) -> {
            if (sum != 0) {
                v.add("the ledger does not balance in " + c + ": " + sum);
            }
        });
        Map<String, Long> stored = new TreeMap<>();
        for (Ledger.Balance b : ledger.balances()) {
            stored.put(b.account() + " " + b.currency(), b.amountMinor());
        }
        Set<String> keys = new HashSet<>(stored.keySet());
        keys.addAll(perAccount.keySet());
        for (String k : keys) {
            long a = stored.getOrDefault(k, 0L);
            long b = perAccount.getOrDefault(k, 0L);
            if (a != b) {
                v.add("stored balance of " + k + " is " + a + " but its transactions sum to " + b);
            }
        }
    }

    private void checkPlays(List<String> v) {
        Set<String> playIds = new HashSet<>();
        for (Play p : allPlays) {
            playIds.add(p.playId());
            List<LedgerTransaction> active = ledger.activePostings(p.playId());
            switch (p.status()) {
                case OPEN -> v.add("play " + p.playId() + " is still OPEN after the drain");
                case SUPERSEDED -> { }
                case CLOSED -> {
                    if (p.royaltyEligible()) {
                        v.add("play " + p.playId() + " is CLOSED and eligible but was never posted");
                    }
                    if (!active.isEmpty()) {
                        v.add("CLOSED play " + p.playId() + " holds postings " + keys(active));
                    }
                }
                case POSTED -> {
                    if (active.size() != 1) {
                        v.add("POSTED play " + p.playId() + " has " + active.size() + " active postings "
                                + keys(active));
                        continue;
                    }
                    LedgerTransaction tx = active.get(0);
                    Optional<LedgerTransaction> expected = calculator.calculate(p, stations.get(p.stationId()),
                            tx.postedAt());
                    if (expected.isEmpty()) {
                        v.add("POSTED play " + p.playId() + " (" + p.durationMs() + " ms) is not payable by its rate card");
                    } else if (!amounts(expected.get()).equals(amounts(tx))) {
                        v.add("play " + p.playId() + " was paid " + amounts(tx) + " but its final form ("
                                + p.durationMs() + " ms) earns " + amounts(expected.get()));
                    }
                }
            }
        }
        for (LedgerTransaction tx : ledger.allTransactions()) {
            if (tx.playId() != null && !playIds.contains(tx.playId()) && !supersededIds.contains(tx.playId())) {
                v.add("transaction " + tx.idempotencyKey() + " pays play " + tx.playId() + ", which no longer exists");
            }
        }
    }

    private void checkAirings(List<String> findings, List<String> v) {
        for (Broadcast.Segment g : broadcast.segments()) {
            if (g.kind() != Broadcast.Kind.CATALOG && g.kind() != Broadcast.Kind.ACR_ONLY) {
                continue;
            }
            List<String> paid = new ArrayList<>();
            for (Play p : allPlays) {
                if (p.status() != Play.Status.POSTED || !p.stationId().equals(g.stationId()) || !sameRecording(p, g)) {
                    continue;
                }
                long overlap = Math.min(p.endedAt().toEpochMilli(), g.endMs())
                        - Math.max(p.startedAt().toEpochMilli(), g.startMs());
                long mid = (p.startedAt().toEpochMilli() + p.endedAt().toEpochMilli()) / 2;
                if (overlap > 0 && mid >= g.startMs() && mid < g.endMs()) {
                    paid.add(p.playId() + " [" + (p.startedAt().toEpochMilli() - g.startMs()) / 1000 + " s.."
                            + (p.endedAt().toEpochMilli() - g.startMs()) / 1000 + " s, " + p.detectionIds().size()
                            + " detections, alignment off by " + alignmentErrorS(p, g) + " s]");
                }
            }
            boolean whole = g.startMs() >= broadcast.startMs() && g.endMs() <= broadcast.endMs() - Broadcast.CHUNK_MS;
            if (profile.noiseless() && whole && g.durationMs() >= 45_000 && paid.isEmpty() && !covered(g)) {
                v.add("airing of " + g.trackId() + " on " + g.stationId() + " at " + Instant.ofEpochMilli(g.startMs())
                        + " (" + g.durationMs() / 1000 + " s) was never paid, though nothing went wrong; plays on its "
                        + "air: " + allPlays.stream().filter(p -> p.stationId().equals(g.stationId())
                        && p.endedAt().toEpochMilli() > g.startMs() && p.startedAt().toEpochMilli() < g.endMs())
                        .map(p -> p.trackId() + " " + p.status() + " " + (p.startedAt().toEpochMilli() - g.startMs()) / 1000
                                + ".." + (p.endedAt().toEpochMilli() - g.startMs()) / 1000 + " s alternatives "
                                + p.alternatives().stream().map(Play.Alternative::trackId).toList()).toList());
            }
            if (paid.size() > 1) {
                (profile.noiseless() ? v : findings).add("airing of " + g.trackId() + " on " + g.stationId() + " at "
                        + Instant.ofEpochMilli(g.startMs()) + " (" + g.durationMs() / 1000 + " s) was paid " + paid.size()
                        + " times: " + paid);
            }
        }
    }

    private final Set<String> supersededIds = new HashSet<>();

    /**
     * The reference run: every stored detection and chunk record of this run fed in air-time order, once each,
     * without faults, to a fresh play store, then posted; its final play log and what each play is paid must equal
     * this run's.
     */
    private void checkReference(List<String> v) {
        InMemoryTableStore ref = new InMemoryTableStore();
        for (Item i : memory.dump(TableName.DETECTIONS)) {
            if (i.sk().startsWith(ChunkLog.PREFIX)) {
                ref.write(Write.put(TableName.DETECTIONS, i));
            }
        }
        for (Item i : memory.dump(TableName.TRACKS)) {
            ref.write(Write.put(TableName.TRACKS, i)); // the catalog, as registered
        }
        ManualClock clock = new ManualClock(Instant.ofEpochMilli(broadcast.startMs()));
        Settings.Royalty royalty = Settings.load(k -> null).royalty();
        PlayStore refPlays = new PlayStore(ref, PlayAssembler.from(royalty), calculator::minPaidDurationMs,
                royalty.playCloseAfterMs(), clock, Contention.noWaits());
        Ledger refLedger = new Ledger(ref, Contention.noWaits());
        RoyaltyPoster poster = new RoyaltyPoster(refPlays, refLedger, calculator);
        Instant from = Instant.ofEpochMilli(broadcast.startMs()).minusSeconds(3600);
        Instant to = Instant.ofEpochMilli(broadcast.endMs()).plusSeconds(3600);
        List<DetectionMessage> all = new ArrayList<>();
        for (Station s : broadcast.stations()) {
            all.addAll(plays.detections(s.stationId(), from, to));
        }
        all.sort(java.util.Comparator.comparing((DetectionMessage m) -> m.detection().chunkStartedAt()
                .plusMillis(m.detection().chunkDurationMs())).thenComparing(m -> m.detection().detectionId()));
        for (DetectionMessage m : all) {
            Instant end = m.detection().chunkStartedAt().plusMillis(m.detection().chunkDurationMs());
            if (end.isAfter(clock.instant())) {
                clock.set(end);
            }
            poster.accept(m);
        }
        for (int run = 0; run < 500; run++) {
            clock.advance(java.time.Duration.ofSeconds(15));
            poster.closeAndPost(clock.instant(), stations::get);
            boolean done = ref.dump(TableName.PLAYS).stream().noneMatch(i -> i.sk().startsWith("p-")
                    && ("OPEN".equals(i.str("status")) || i.num("unsettled", 0) == 1));
            if (done) {
                break;
            }
        }
        Map<String, String> mine = playLog(allPlays, ledger);
        List<Play> refFinal = new ArrayList<>();
        for (Item i : ref.dump(TableName.PLAYS)) {
            if (i.sk().startsWith("p-")) {
                Play p = Json.read(i.doc(), Play.class);
                if (p.status() != Play.Status.SUPERSEDED) {
                    refFinal.add(p);
                }
            }
        }
        Map<String, String> theirs = playLog(refFinal, refLedger);
        if (!mine.equals(theirs)) {
            List<String> diff = new ArrayList<>();
            for (String k : new java.util.TreeSet<>(union(mine.keySet(), theirs.keySet()))) {
                if (!java.util.Objects.equals(mine.get(k), theirs.get(k)) && diff.size() < 4) {
                    diff.add(k + ": this run " + mine.get(k) + ", reference " + theirs.get(k));
                }
            }
            v.add("the final play log differs from the in-order, fault-free reference run: " + diff);
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new HashSet<>(a);
        u.addAll(b);
        return u;
    }

    /** play id -> track, air span, status, eligibility and what its active postings pay. */
    private static Map<String, String> playLog(List<Play> ps, Ledger l) {
        Map<String, String> out = new TreeMap<>();
        for (Play p : ps) {
            Map<String, Long> paid = new TreeMap<>();
            for (LedgerTransaction tx : l.activePostings(p.playId())) {
                amounts(tx).forEach((k, a) -> paid.merge(k, a, Long::sum));
            }
            out.put(p.stationId() + "/" + p.playId(), p.trackId() + " " + p.startedAt() + ".." + p.endedAt() + " "
                    + p.status() + (p.royaltyEligible() ? " eligible" : "") + " alternatives "
                    + p.alternatives().stream().map(Play.Alternative::trackId).toList() + " paid " + paid);
        }
        return out;
    }
    private final List<String> airingFindings = new ArrayList<>();

    /** Findings kept apart from the violations (none today: fragments are violations). */
    List<String> airingFindings() {
        return airingFindings;
    }

    /**
     * Whether a posted play of the airing's recording covers at least half of it. Two airings of one track back
     * to back, the second going on within the assembler's alignment tolerance of where the first stopped, sound
     * like one airing and make one play, which the per-airing attribution (by the play's midpoint) gives to
     * only one of them: the other is still paid.
     */
    private boolean covered(Broadcast.Segment g) {
        for (Play p : allPlays) {
            if (p.status() == Play.Status.POSTED && p.stationId().equals(g.stationId()) && sameRecording(p, g)
                    && Math.min(p.endedAt().toEpochMilli(), g.endMs())
                    - Math.max(p.startedAt().toEpochMilli(), g.startMs()) >= g.durationMs() / 2) {
                return true;
            }
        }
        return false;
    }

    /** Median of (detection alignment - true alignment) over a play's detections, s (alignment = air - offset). */
    private long alignmentErrorS(Play p, Broadcast.Segment g) {
        Set<String> ids = new HashSet<>(p.detectionIds());
        List<Long> errs = new ArrayList<>();
        plays.detections(p.stationId(), p.startedAt().minusSeconds(60), p.endedAt().plusSeconds(60)).forEach(m -> {
            if (ids.contains(m.detection().detectionId())) {
                long align = m.detection().chunkStartedAt().toEpochMilli() - m.detection().trackOffsetMs();
                errs.add(align - (g.startMs() - g.trackStartMs()));
            }
        });
        errs.sort(null);
        return errs.isEmpty() ? 0 : errs.get(errs.size() / 2) / 1000;
    }

    private static boolean sameRecording(Play p, Broadcast.Segment g) {
        String t = p.trackId();
        return t.equals(g.trackId()) || t.equals("acr_" + g.trackId()) || t.equals("acr_cat-" + g.trackId());
    }

    private void checkDetections(List<String> v, Set<String> sent, List<String> fallbackChunks) {
        Set<String> inPlays = new HashSet<>();
        allPlays.forEach(p -> {
            inPlays.addAll(p.detectionIds());
            p.alternatives().forEach(a -> inPlays.addAll(a.detectionIds()));
        });
        Set<String> stored = new HashSet<>();
        Instant from = Instant.ofEpochMilli(broadcast.startMs()).minusSeconds(3600);
        Instant to = Instant.ofEpochMilli(broadcast.endMs()).plusSeconds(3600);
        for (Station s : broadcast.stations()) {
            plays.detections(s.stationId(), from, to).forEach(m -> stored.add(m.detection().detectionId()));
        }
        int lost = 0;
        List<String> examples = new ArrayList<>();
        for (String id : sent) {
            if (!stored.contains(id) || !inPlays.contains(id)) {
                lost++;
                if (examples.size() < 3) {
                    examples.add(id + (stored.contains(id) ? " (stored, in no play)" : " (never stored)"));
                }
            }
        }
        if (lost > 0) {
            v.add(lost + " detections lost, e.g. " + examples);
        }
        Set<String> chunksWithDetection = new HashSet<>();
        for (String id : sent) {
            chunksWithDetection.add(id.substring(0, id.indexOf(':')));
        }
        Set<String> unidentified = new HashSet<>();
        for (Station s : broadcast.stations()) {
            fallback.unidentified(s.stationId(), from, to).forEach(u -> unidentified.add(u.chunkId()));
        }
        List<String> silent = fallbackChunks.stream()
                .filter(c -> !chunksWithDetection.contains(c) && !unidentified.contains(c)).toList();
        if (!silent.isEmpty()) {
            v.add(silent.size() + " fallback chunks ended in neither a detection nor an unidentified record, e.g. "
                    + silent.subList(0, Math.min(3, silent.size())));
        }
    }

    private void checkAcr(List<String> v) {
        acr.answeredPerChunk().forEach((chunk, n) -> {
            if (n > 1) {
                v.add("ACRCloud answered " + n + " times for chunk " + chunk);
            }
        });
        for (Map.Entry<LocalDate, Integer> e : acr.answeredPerDay().entrySet()) {
            if (e.getValue() > profile.acrDailyBudget()) {
                v.add("ACRCloud answered " + e.getValue() + " calls on " + e.getKey() + ", over the budget of "
                        + profile.acrDailyBudget());
            }
        }
    }

    private void checkStatements(List<String> v) {
        Statements statements = new Statements(ledger);
        Instant from = Instant.ofEpochMilli(broadcast.startMs()).minusSeconds(86_400);
        Instant to = acr.now().plusSeconds(86_400);
        Map<String, Map<String, Long>> perParty = new TreeMap<>();
        for (Ledger.Balance b : ledger.balances()) {
            if (b.account().startsWith("held:")) {
                continue;
            }
            perParty.computeIfAbsent(b.account(), k -> new TreeMap<>()).merge(b.currency(), b.amountMinor(), Long::sum);
        }
        for (Ledger.Balance b : ledger.balances()) {
            if (b.account().startsWith("held:")) {
                perParty.computeIfAbsent(b.account().substring("held:".length()), k -> new TreeMap<>())
                        .merge(b.currency(), b.amountMinor(), Long::sum);
            }
        }
        perParty.forEach((party, balances) -> {
            Statements.Statement st = statements.statement(party, from, to);
            Map<String, Long> closing = new TreeMap<>();
            st.totals().forEach(t -> closing.put(t.currency(), t.closingMinor()));
            balances.entrySet().removeIf(e -> e.getValue() == 0L);
            closing.entrySet().removeIf(e -> e.getValue() == 0L);
            if (!closing.equals(balances)) {
                v.add("statement of " + party + " closes at " + closing + " but the ledger holds " + balances);
            }
        });
    }

    private static Map<String, Long> amounts(LedgerTransaction tx) {
        Map<String, Long> m = new TreeMap<>();
        for (LedgerEntry e : tx.entries()) {
            m.merge(e.account() + " " + e.currency(), e.amountMinor(), Long::sum);
        }
        return m;
    }

    private static List<String> keys(List<LedgerTransaction> txs) {
        return txs.stream().map(LedgerTransaction::idempotencyKey).toList();
    }

    private static String abbreviate(String s) {
        return s.length() <= 160 ? s : s.substring(0, 160) + "...";
    }

    int playCount() {
        return allPlays.size();
    }

    int postedCount() {
        return (int) allPlays.stream().filter(p -> p.status() == Play.Status.POSTED).count();
    }

    int supersededCount() {
        return superseded;
    }

    /** A digest of every table's content: two runs of one seed must give the same. */
    String fingerprint() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (TableName t : TableName.values()) {
                for (Item i : memory.dump(t)) {
                    md.update((t + "|" + i.pk() + "|" + i.sk() + "|" + i.attributes() + "\n")
                            .getBytes(StandardCharsets.UTF_8));
                }
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
