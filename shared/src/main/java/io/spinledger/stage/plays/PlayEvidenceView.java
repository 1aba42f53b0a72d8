package io.spinledger.stage.plays;

import io.spinledger.config.BucketName;
import io.spinledger.domain.Detection;
import io.spinledger.domain.DetectionMessage;
import io.spinledger.domain.LedgerTransaction;
import io.spinledger.domain.Play;
import io.spinledger.domain.Station;
import io.spinledger.ledger.AuditEvent;
import io.spinledger.ledger.Disputes;
import io.spinledger.ledger.Ledger;
import io.spinledger.ports.ObjectStore;
import io.spinledger.stage.posting.RoyaltyCalculator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import io.spinledger.stage.capture.EvidenceRecorder;
import java.util.function.Function;

/**
 * The evidence read model: the chain behind a play's money. The play, its detections (match offsets,
 * confidence, source), the chunks they came from (object keys in the media bucket and whether the audio is still
 * stored), the rating under the rule version (every factor), the ledger transactions (postings, reversals, holds,
 * releases; which are active), disputes and the audit trail. The maps' keys are the JSON field names of
 * {@code GET /plays/{id}/evidence}.
 */
public final class PlayEvidenceView {
    /** Detections are looked up from this long before the play's start (a chunk starts before its match). */
    private static final long LOOKBACK_SECONDS = 120;
    private final PlayStore plays;
    private final Function<String, Optional<Station>> stations;
    private final Ledger ledger;
    private final Disputes disputes;
    private final RoyaltyCalculator calculator;
    private final ObjectStore objects;
    private final String bucket;

    /**
     * A play's evidence.
     *
     * @param play         the play
     * @param detections   its detections, each a map of detectionId, chunkId, trackId, matchStartedAt,
     *                     matchEndedAt, trackOffsetMs, alignedCount, confidence, source, evidence
     * @param chunks       the chunks they came from, once each: chunkId, startedAt, durationMs, bucket, objectKey,
     *                     audioStored, and for a live chunk kept only as compressed evidence {@code evidence}:
     *                     bucket, objectKey, range ({@code bytes=a-b}, a stand-alone Ogg Opus stream), contentType
     * @param rating       the {@link RoyaltyCalculator.Rating}, or a map {@code {error: reason}} when it cannot be
     *                     rated; empty when the station is unknown
     * @param transactions the play's ledger transactions: idempotencyKey, transactionId, kind, active, relatesTo,
     *                     ruleVersion, postedAt, description, entries
     * @param disputes     the play's disputes
     * @param audit        the play's audit trail
     */
    public record PlayEvidence(Play play, List<Map<String, Object>> detections, List<Map<String, Object>> chunks,
                               Optional<Object> rating, List<Map<String, Object>> transactions,
                               List<Disputes.Dispute> disputes, List<AuditEvent> audit) {
    }

    /**
     * @param plays      plays and their detections
     * @param stations   station lookup by id
     * @param ledger     the ledger
     * @param disputes   disputes of plays
     * @param calculator rates a play under the rule version
     * @param objects    the media bucket
     * @param bucket     the media bucket's configured name, which {@code objects} reads
     */
    public PlayEvidenceView(PlayStore plays, Function<String, Optional<Station>> stations, Ledger ledger,
                            Disputes disputes, RoyaltyCalculator calculator, ObjectStore objects, String bucket) {
        this.plays = plays;
        this.stations = stations;
        this.ledger = ledger;
        this.disputes = disputes;
        this.calculator = calculator;
        this.objects = objects;
        this.bucket = bucket;
    }

    /** The evidence of one (found) play. */
    public PlayEvidence of(Play play) {
        Set<String> ids = new HashSet<>(play.detectionIds());
        List<Map<String, Object>> detections = new ArrayList<>();
        Map<String, Map<String, Object>> chunks = new LinkedHashMap<>();
        Map<String, Object> evidenceReads = new java.util.HashMap<>(); // listings and indexes, read once per view
        for (DetectionMessage m : plays.detections(play.stationId(), play.startedAt().minusSeconds(LOOKBACK_SECONDS),
                play.endedAt())) {
            Detection d = m.detection();
            if (!ids.contains(d.detectionId())) {
                continue;
            }
            detections.add(detection(d));
            chunks.computeIfAbsent(d.chunkId(), c -> chunk(d, evidenceReads));
        }
        List<LedgerTransaction> txs = ledger.transactionsOfPlay(play.playId());
        Set<String> active = new HashSet<>();
        Ledger.activePostings(txs).forEach(t -> active.add(t.idempotencyKey()));
        List<Map<String, Object>> postings = new ArrayList<>();
        for (LedgerTransaction t : txs) {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("idempotencyKey", t.idempotencyKey());
            pm.put("transactionId", t.transactionId());
            pm.put("kind", t.kind());
            pm.put("active", active.contains(t.idempotencyKey()));
            pm.put("relatesTo", t.relatesTo());
            pm.put("ruleVersion", t.ruleVersion());
            pm.put("postedAt", t.postedAt());
            pm.put("description", t.description());
            pm.put("entries", t.entries());
            postings.add(pm);
        }
        Optional<Object> rating = stations.apply(play.stationId()).map(station -> {
            try {
                return calculator.rate(play, station);
            } catch (IllegalArgumentException e) {
                return Map.of("error", e.getMessage());
            }
        });
        return new PlayEvidence(play, detections, new ArrayList<>(chunks.values()), rating, postings,
                disputes.disputes(play.playId()), ledger.audit(play.playId()));
    }

    private static Map<String, Object> detection(Detection d) {
        Map<String, Object> dm = new LinkedHashMap<>();
        dm.put("detectionId", d.detectionId());
        dm.put("chunkId", d.chunkId());
        dm.put("trackId", d.trackId());
        dm.put("matchStartedAt", d.matchStartedAt());
        dm.put("matchEndedAt", d.matchEndedAt());
        dm.put("trackOffsetMs", d.trackOffsetMs());
        dm.put("alignedCount", d.alignedCount());
        dm.put("confidence", d.confidence());
        dm.put("source", d.source());
        dm.put("evidence", d.evidence());
        return dm;
    }

    private Map<String, Object> chunk(Detection d, Map<String, Object> evidenceReads) {
        String key = BucketName.chunkKey(d.stationId(), d.chunkStartedAt(), d.chunkId());
        Map<String, Object> cm = new LinkedHashMap<>();
        cm.put("chunkId", d.chunkId());
        cm.put("startedAt", d.chunkStartedAt());
        cm.put("durationMs", d.chunkDurationMs());
        cm.put("bucket", bucket);
        cm.put("objectKey", key);
        boolean wav = objects.list(key).contains(key);
        cm.put("audioStored", wav);
        if (!wav) {
            evidencePiece(d, evidenceReads).ifPresent(p -> cm.put("evidence", p));
        }
        return cm;
    }

    /**
     * Where a live chunk's compressed evidence is ({@link EvidenceRecorder}): the segment object and the byte range
     * of the chunk's piece (a stand-alone Ogg Opus stream), found in the indexes of the segments of its station and
     * day that began at most 20 minutes before it. {@code reads} keeps the listings and indexes already read by this
     * view, so a play's chunks cost one listing per day and one read per index.
     */
    @SuppressWarnings("unchecked")
    private Optional<Map<String, Object>> evidencePiece(Detection d, Map<String, Object> reads) {
        java.time.Instant start = d.chunkStartedAt();
        String prefix = EvidenceRecorder.PREFIX + d.stationId() + "/"
                + start.atZone(java.time.ZoneOffset.UTC).toLocalDate() + "/";
        for (String indexKey : (List<String>) reads.computeIfAbsent(prefix, objects::list)) {
            if (!indexKey.endsWith(".ogg.json")) {
                continue;
            }
            String name = indexKey.substring(prefix.length());
            int z = name.indexOf('Z');
            java.time.Instant segmentStart;
            try {
                segmentStart = java.time.Instant.parse(name.substring(0, z + 1));
            } catch (RuntimeException e) {
                continue;
            }
            if (segmentStart.isAfter(start) || segmentStart.isBefore(start.minusSeconds(1_200))) {
                continue;
            }
            Optional<byte[]> index = (Optional<byte[]>) reads.computeIfAbsent(indexKey, objects::get);
            if (index.isEmpty()) {
                continue;
            }
            for (EvidenceRecorder.Piece p : io.spinledger.json.Json.read(
                    new String(index.get(), java.nio.charset.StandardCharsets.UTF_8), EvidenceRecorder.Piece[].class)) {
                if (p.chunkId().equals(d.chunkId())) {
                    Map<String, Object> em = new LinkedHashMap<>();
                    em.put("bucket", bucket);
                    em.put("objectKey", indexKey.substring(0, indexKey.length() - ".json".length()));
                    em.put("range", "bytes=" + p.offset() + "-" + (p.offset() + p.length() - 1));
                    em.put("contentType", "audio/ogg");
                    return Optional.of(em);
                }
            }
        }
        return Optional.empty();
    }
}
