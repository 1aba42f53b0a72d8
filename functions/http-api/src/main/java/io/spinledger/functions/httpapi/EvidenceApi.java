package io.spinledger.functions.httpapi;

import io.spinledger.config.BucketName;
import io.spinledger.domain.DetectionMessage;
import io.spinledger.domain.LedgerTransaction;
import io.spinledger.domain.Play;
import io.spinledger.domain.Station;
import io.spinledger.ledger.Disputes;
import io.spinledger.ledger.Ledger;
import io.spinledger.play.PlayStore;
import io.spinledger.royalty.RoyaltyCalculator;
import io.spinledger.station.StationRepository;
import io.spinledger.storage.ObjectStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /plays/{id}/evidence[?stationId=]}: the chain behind a play's money, as JSON: the play, its
 * detections (match offsets, confidence, source), the chunks they came from (object keys in the media bucket
 * and whether the audio is still stored), the rating under the rule version (every factor), the ledger
 * transactions (postings, reversals, holds, releases; which are active), disputes and the audit trail.
 */
final class EvidenceApi {
    private final PlayLocator locator;
    private final PlayStore plays;
    private final StationRepository stations;
    private final Ledger ledger;
    private final Disputes disputes;
    private final RoyaltyCalculator calculator;
    private final ObjectStore objects;
    private final String bucket;

    /** @param bucket the media bucket's configured name, which {@code objects} reads */
    EvidenceApi(PlayLocator locator, PlayStore plays, StationRepository stations, Ledger ledger, Disputes disputes,
                RoyaltyCalculator calculator, ObjectStore objects, String bucket) {
        this.locator = locator;
        this.plays = plays;
        this.stations = stations;
        this.ledger = ledger;
        this.disputes = disputes;
        this.calculator = calculator;
        this.objects = objects;
        this.bucket = bucket;
    }

    ApiResponse handle(ApiRequest req) {
        String playId = req.pathParams().get("id");
        Play play = locator.find(playId, req.query("stationId"));
        Set<String> ids = new HashSet<>(play.detectionIds());
        List<Map<String, Object>> detections = new ArrayList<>();
        Map<String, Map<String, Object>> chunks = new LinkedHashMap<>();
        for (DetectionMessage m : plays.detections(play.stationId(), play.startedAt().minusSeconds(120),
                play.endedAt())) {
            var d = m.detection();
            if (!ids.contains(d.detectionId())) {
                continue;
            }
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
            detections.add(dm);
            chunks.computeIfAbsent(d.chunkId(), c -> {
                String key = BucketName.chunkKey(d.stationId(), d.chunkStartedAt(), d.chunkId());
                Map<String, Object> cm = new LinkedHashMap<>();
                cm.put("chunkId", d.chunkId());
                cm.put("startedAt", d.chunkStartedAt());
                cm.put("durationMs", d.chunkDurationMs());
                cm.put("bucket", bucket);
                cm.put("objectKey", key);
                cm.put("audioStored", objects.list(key).contains(key));
                return cm;
            });
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
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("play", PlaysApi.view(play));
        out.put("detections", detections);
        out.put("chunks", chunks.values());
        Station station = stations.get(play.stationId()).orElse(null);
        if (station != null) {
            try {
                out.put("rating", calculator.rate(play, station));
            } catch (IllegalArgumentException e) {
                out.put("rating", Map.of("error", e.getMessage()));
            }
        }
        out.put("transactions", postings);
        out.put("disputes", disputes.disputes(play.playId()));
        out.put("audit", ledger.audit(play.playId()));
        return ApiResponse.json(200, out);
    }
}
