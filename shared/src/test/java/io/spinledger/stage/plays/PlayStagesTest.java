package io.spinledger.stage.plays;

import io.spinledger.ports.ManualClock;
import static io.spinledger.stage.plays.Airings.airing;
import static io.spinledger.stage.plays.Airings.message;
import static io.spinledger.stage.plays.Airings.plus;
import static org.assertj.core.api.Assertions.assertThat;

import io.spinledger.config.BucketName;
import io.spinledger.domain.Detection;
import io.spinledger.domain.LedgerTransaction;
import io.spinledger.domain.Play;
import io.spinledger.domain.Station;
import io.spinledger.ledger.Disputes;
import io.spinledger.ledger.Ledger;
import io.spinledger.stage.posting.RateCard;
import io.spinledger.stage.posting.RoyaltyCalculator;
import io.spinledger.stage.posting.RoyaltyPoster;
import io.spinledger.stage.posting.PostingStage;
import io.spinledger.ports.InMemoryTableStore;
import io.spinledger.ports.InMemoryObjectStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The plays and posting stages and the evidence read model on the in-memory table store (the contract suite
 * holds it to DynamoDB's behaviour); chunk audio in an in-memory object store.
 */
class PlayStagesTest {
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final String BUCKET = "media-test";
    private static PlayStore plays;
    private static Ledger ledger;
    private static RoyaltyCalculator calculator;
    private static PlayAssemblyStage assembly;
    private static PostingStage posting;
    private static PlayEvidenceView evidence;
    private static InMemoryObjectStore objects;

    private static Optional<Station> station(String id) {
        return id.startsWith("unknown") ? Optional.empty()
                : Optional.of(new Station(id, id, null, "GH", "A", "GHS", "Africa/Accra", T0));
    }

    @BeforeAll
    static void start() {
        InMemoryTableStore tables = new InMemoryTableStore();
        RateCard card = RateCard.ghanaDefault();
        ledger = new Ledger(tables);
        plays = new PlayStore(tables, new PlayAssembler(25_000, PlayAssembler.DEFAULT_ALIGNMENT_TOLERANCE_MS),
                card.minPaidDurationMs(), 60_000, new ManualClock(T0));
        calculator = new RoyaltyCalculator(card);
        RoyaltyPoster poster = new RoyaltyPoster(plays, ledger, calculator);
        assembly = new PlayAssemblyStage(poster);
        posting = new PostingStage(poster, PlayStagesTest::station);
        objects = new InMemoryObjectStore();
        evidence = new PlayEvidenceView(plays, PlayStagesTest::station, ledger, new Disputes(ledger), calculator,
                objects, BUCKET);
    }


    @Test
    void detectionsBecomeOnePlayThatIsPostedOnceAndExplainedByItsEvidence() {
        List<Detection> detections = airing("st-ev", "trk_a", T0, plus(T0, 5), 100_000);
        detections.forEach(d -> assembly.handle(message(d, "A", "348", "100")));
        assertThat(assembly.handle(message(detections.get(0), "A", "348", "100")).newDetection()).isFalse();
        Detection stored = detections.get(1);
        String storedKey = BucketName.chunkKey(stored.stationId(), stored.chunkStartedAt(), stored.chunkId());
        objects.put(storedKey, new byte[] {1}, "audio/wav");

        RoyaltyPoster.Report first = posting.handle(plus(T0, 3_600));
        RoyaltyPoster.Report again = posting.handle(plus(T0, 3_700));

        List<Play> found = plays.queryPlays("st-ev", T0, plus(T0, 3_600));
        assertThat(found).singleElement().extracting(Play::status).isEqualTo(Play.Status.POSTED);
        Play play = found.get(0);
        assertThat(first.closedPlayIds()).contains(play.playId());
        assertThat(first.posted()).filteredOn(t -> t.stationId().equals("st-ev")).singleElement()
                .matches(LedgerTransaction::isBalanced);
        assertThat(again.posted()).noneMatch(t -> t.stationId().equals("st-ev"));
        assertThat(ledger.entries("station:st-ev")).singleElement()
                .satisfies(e -> assertThat(e.amountMinor()).isEqualTo(150)); // 100 s x 0.015

        PlayEvidenceView.PlayEvidence e = evidence.of(play);
        assertThat(e.play()).isEqualTo(play);
        assertThat(e.detections()).extracting(m -> m.get("detectionId"))
                .containsExactlyInAnyOrderElementsOf(play.detectionIds());
        assertThat(e.detections().get(0).keySet()).containsExactly("detectionId", "chunkId", "trackId",
                "matchStartedAt", "matchEndedAt", "trackOffsetMs", "alignedCount", "confidence", "source",
                "evidence");
        assertThat(e.chunks()).hasSize(detections.size()).allSatisfy(c -> assertThat(c.get("bucket"))
                .isEqualTo(BUCKET));
        assertThat(e.chunks()).filteredOn(c -> c.get("audioStored").equals(true)).singleElement()
                .satisfies(c -> assertThat(c).containsEntry("objectKey", storedKey)
                        .containsEntry("chunkId", stored.chunkId()));
        assertThat(e.rating()).get().isInstanceOf(RoyaltyCalculator.Rating.class);
        assertThat(e.transactions()).singleElement().satisfies(t -> assertThat(t)
                .containsEntry("active", true).containsEntry("kind", LedgerTransaction.Kind.POSTING));
        assertThat(e.disputes()).isEmpty();
        assertThat(e.audit()).extracting(a -> a.action()).contains("POSTED");
    }

    @Test
    void aPlayOfAnUnknownStationIsReportedAndHasNoRating() {
        airing("unknown-st", "trk_b", T0, plus(T0, 5), 100_000).forEach(d -> assembly.handle(message(d, "B")));

        RoyaltyPoster.Report report = posting.handle(plus(T0, 3_600));

        Play play = plays.queryPlays("unknown-st", T0, plus(T0, 3_600)).get(0);
        assertThat(report.failed()).containsEntry(play.playId(), "unknown station unknown-st");
        assertThat(ledger.entries("station:unknown-st")).isEmpty();
        PlayEvidenceView.PlayEvidence e = evidence.of(play);
        assertThat(e.rating()).isEmpty();
        assertThat(e.transactions()).isEmpty();
        assertThat(e.chunks()).allSatisfy(c -> assertThat(c.get("audioStored")).isEqualTo(false));
        assertThat(e.detections()).hasSize(play.detectionIds().size());
    }
}
