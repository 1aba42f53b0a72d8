package io.spinledger.cli.scan;

import io.spinledger.ports.Contention;
import io.spinledger.ports.ManualClock;
import io.spinledger.catalog.StationRepository;
import io.spinledger.config.BucketName;
import io.spinledger.config.QueueName;
import io.spinledger.config.Settings;
import io.spinledger.domain.CaptureRequest;
import io.spinledger.domain.Chunk;
import io.spinledger.domain.Detection;
import io.spinledger.domain.DetectionMessage;
import io.spinledger.domain.Play;
import io.spinledger.domain.Station;
import io.spinledger.engine.audio.AudioDecodingException;
import io.spinledger.engine.audio.Pcm;
import io.spinledger.engine.audio.Wav;
import io.spinledger.engine.fingerprint.FingerprintEngine;
import io.spinledger.ledger.Ledger;
import io.spinledger.ports.InMemoryObjectStore;
import io.spinledger.ports.InMemoryTableStore;
import io.spinledger.ports.MessagePublisher;
import io.spinledger.stage.capture.ChunkIngestService;
import io.spinledger.stage.capture.ChunkLog;
import io.spinledger.stage.capture.ChunkIngestStage;
import io.spinledger.stage.match.ChunkMatcher;
import io.spinledger.stage.match.MatchStage;
import io.spinledger.stage.plays.PlayAssembler;
import io.spinledger.stage.plays.PlayAssemblyStage;
import io.spinledger.stage.plays.PlayStore;
import io.spinledger.stage.posting.RateCard;
import io.spinledger.stage.posting.RoyaltyCalculator;
import io.spinledger.stage.posting.RoyaltyPoster;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Turns an air-check (a recording of a broadcast) into plays by running the deployed stages in one process,
 * so the terminal gives exactly the plays the pipeline would:
 * <ol>
 *   <li>capture: {@link ChunkIngestStage} on an AIRCHECK request decodes the recording, cuts it with the
 *       capture {@code Chunker} (window and overlap from {@link Settings.Capture}) and stores each chunk as WAV,
 *       with the pipeline's chunk ids and keys, in an {@link InMemoryObjectStore};</li>
 *   <li>match: {@link MatchStage} over {@link ChunkMatcher} matches each chunk against the engine's index,
 *       with the pipeline's detection ids, audible spans and look-back (the last
 *       {@link ChunkMatcher#LOOK_BACK_CHUNKS} chunks stay stored for it);</li>
 *   <li>plays: each detection goes straight to {@link PlayAssemblyStage} ({@link PlayStore} on an
 *       {@link InMemoryTableStore}).</li>
 * </ol>
 * Enrichment and PRO mapping are skipped: the catalog is the local index, which holds no metadata to enrich
 * or map. Chunks that match nothing end at the match stage (there is no ACRCloud fallback here).
 *
 * <p>The processing clock follows the air-check: it is set to each chunk's end as the chunk is processed, then
 * the plays are made final by the station watermark ({@link PlayStore#closeDuePlays}): the air-check's last chunk
 * ends its coverage, so every play returned is final (CLOSED). Nothing is posted to a ledger.
 *
 * <p>Each {@link #scan} uses its own in-memory stores; the engine is shared.
 */
public final class AirCheckScan {
    private final FingerprintEngine engine;
    private final Settings.Capture capture;
    private final Settings.Royalty royalty;
    private final long indexRefreshMs;

    /**
     * @param engine   the engine with the index loaded
     * @param capture  chunk length and overlap; the sample rate must be the engine's
     * @param royalty  play gap, play-close delay and shortest paid play
     * @param indexRefreshMs how often the match stage looks for new index segments, ms
     * @throws IllegalArgumentException when the capture sample rate differs from the engine's
     */
    public AirCheckScan(FingerprintEngine engine, Settings.Capture capture, Settings.Royalty royalty,
                        long indexRefreshMs) {
        if (capture.sampleRateHz() != engine.config().sampleRateHz()) {
            throw new IllegalArgumentException("capture sample rate " + capture.sampleRateHz()
                    + " Hz differs from the engine's " + engine.config().sampleRateHz() + " Hz");
        }
        this.engine = engine;
        this.capture = capture;
        this.royalty = royalty;
        this.indexRefreshMs = indexRefreshMs;
    }

    /**
     * A scan with the pipeline's default settings ({@code Settings.load} with no variables set), chunked at
     * {@code chunkMs} with {@code overlapMs} overlap at the engine's sample rate.
     *
     * @param engine    the engine with the index loaded
     * @param chunkMs   chunk length, ms (the pipeline's default is 10 000)
     * @param overlapMs overlap of consecutive chunks, ms (default 2 000)
     * @throws IllegalArgumentException unless {@code 0 <= overlapMs < chunkMs}
     */
    public static AirCheckScan withDefaults(FingerprintEngine engine, long chunkMs, long overlapMs) {
        if (chunkMs <= overlapMs || overlapMs < 0) {
            throw new IllegalArgumentException("need 0 <= overlapMs < chunkMs");
        }
        Settings s = defaults();
        Settings.Capture c = s.capture();
        Settings.Capture capture = new Settings.Capture(chunkMs, overlapMs, c.segmentMs(), c.segmentOverlapMs(),
                engine.config().sampleRateHz(), c.connectTimeoutMs(), c.maxBackoffMs());
        return new AirCheckScan(engine, capture, s.royalty(), s.match().indexRefreshMs());
    }

    /** The pipeline's default settings (no environment variables applied). */
    public static Settings defaults() {
        return Settings.load(name -> null);
    }

    /**
     * What a scan found.
     *
     * @param plays      final plays of the air-check, by start then play id
     * @param detections every detection the match stage made, in chunk order
     * @param chunks     chunks the capture stage cut
     */
    public record Result(List<Play> plays, List<Detection> detections, int chunks) {
        public Result {
            plays = List.copyOf(plays);
            detections = List.copyOf(detections);
        }

        /** The detections a play was built from, by match start. */
        public List<Detection> detectionsOf(Play play) {
            java.util.Set<String> ids = new java.util.HashSet<>(play.detectionIds());
            return detections.stream().filter(d -> ids.contains(d.detectionId()))
                    .sorted(Comparator.comparing(Detection::matchStartedAt).thenComparing(Detection::detectionId))
                    .toList();
        }

        /** The speed a play aired at (track ms per broadcast ms): the mean of its detections' time scales. */
        public double timeScale(Play play) {
            return detectionsOf(play).stream().mapToDouble(AirCheckScan::timeScaleOf).average().orElse(1);
        }

        /** Position in the track at the play's start, ms: from its first detection's first aligned fingerprint. */
        public long trackOffsetMs(Play play) {
            List<Detection> ds = detectionsOf(play);
            if (ds.isEmpty()) {
                return 0;
            }
            Detection first = ds.get(0);
            return first.trackOffsetMs() + Math.round(timeScaleOf(first) * first.matchStartMs());
        }
    }

    /**
     * Scans an air-check held as PCM (it is written as 16-bit WAV and handed to the capture stage as the
     * uploaded recording).
     *
     * @param audio     the recording, mono at the engine's rate
     * @param stationId the station it was recorded from
     * @param startedAt UTC instant of its first sample
     * @return the final plays and the detections behind them
     */
    public Result scan(Pcm audio, String stationId, Instant startedAt) {
        return scan(Wav.write(audio), stationId, startedAt);
    }

    /**
     * Scans an air-check file's bytes (any format the pipeline's decoder reads).
     *
     * @param encoded   the recording as uploaded
     * @param stationId the station it was recorded from
     * @param startedAt UTC instant of its first sample
     * @return the final plays and the detections behind them
     * @throws AudioDecodingException when the capture stage cannot decode the bytes
     */
    public Result scan(byte[] encoded, String stationId, Instant startedAt) {
        ManualClock clock = new ManualClock(startedAt); // processing time follows air time
        InMemoryObjectStore objects = new InMemoryObjectStore();
        InMemoryTableStore tables = new InMemoryTableStore();
        String requestId = "scan-" + stationId + "-" + startedAt.toEpochMilli();
        String sourceKey = BucketName.AIRCHECKS_PREFIX + stationId + "/" + requestId;
        objects.put(sourceKey, encoded, "application/octet-stream");
        Station station = new Station(stationId, stationId, null, null, null, null, null, startedAt);

        RoyaltyCalculator calculator = new RoyaltyCalculator(RateCard.from(royalty));
        PlayStore plays = new PlayStore(tables, PlayAssembler.from(royalty), calculator::minPaidDurationMs,
                royalty.playCloseAfterMs(), clock, Contention.standard());
        ChunkIngestStage ingest = new ChunkIngestStage(
                new ChunkIngestService(capture, objects, new StationRepository(tables), clock, plays.chunkLog()),
                id -> Optional.of(station));
        MatchStage match = new MatchStage(new ChunkMatcher(objects, engine, indexRefreshMs, Clock.systemUTC(),
                capture.chunkMs() - capture.chunkOverlapMs())::match, (counter, key) -> { }, plays.chunkLog());
        PlayAssemblyStage assembly = new PlayAssemblyStage(new RoyaltyPoster(plays, new Ledger(tables), calculator));

        List<Detection> detections = new ArrayList<>();
        MessagePublisher matchOut = (queue, message) -> {
            if (queue == QueueName.DETECTION) {
                DetectionMessage m = (DetectionMessage) message;
                detections.add(m.detection());
                assembly.handle(m);
            } else if (queue == QueueName.FALLBACK) { // no ACRCloud here: the chunk stays unidentified
                plays.chunkLog().record((Chunk) message, ChunkLog.State.UNIDENTIFIED, List.of(),
                        "no fallback in a scan");
            }
        };
        int[] chunks = {0};
        Instant[] lastEnd = {startedAt};
        ArrayDeque<String> kept = new ArrayDeque<>(); // the chunks a later chunk's match may look back at
        MessagePublisher ingestOut = (queue, message) -> {
            if (queue != QueueName.CHUNK) {
                throw new IllegalStateException("capture stage sent to " + queue);
            }
            Chunk chunk = (Chunk) message;
            Instant end = chunk.startedAt().plusMillis(chunk.durationMs());
            clock.set(end);
            lastEnd[0] = end;
            match.handle(chunk, matchOut);
            kept.addLast(chunk.objectKey());
            while (kept.size() > ChunkMatcher.LOOK_BACK_CHUNKS) {
                objects.delete(kept.removeFirst()); // matched, and too old to be looked back at
            }
            chunks[0]++;
        };
        Optional<ChunkIngestService.Result> ingested = ingest.handle(new CaptureRequest(requestId, stationId,
                CaptureRequest.Kind.AIRCHECK, startedAt, 0, sourceKey), ingestOut);
        objects.delete(sourceKey);
        kept.forEach(objects::delete);
        if (ingested.isPresent() && ingested.get().skipped() != null) {
            throw new AudioDecodingException("air-check not scanned: " + ingested.get().skipped());
        }

        // the air-check's last chunk ends its coverage: every play becomes final, a batch per run
        for (int run = 0; run < 1_000; run++) {
            clock.set(lastEnd[0].plusMillis(royalty.playCloseAfterMs() + 1 + run));
            plays.closeDuePlays(clock.instant());
            if (plays.queryPlays(stationId, startedAt.minusSeconds(3600), lastEnd[0].plusSeconds(3600)).stream()
                    .noneMatch(Play::provisional)) {
                break;
            }
        }
        List<Play> found = new ArrayList<>(plays.queryPlays(stationId, startedAt,
                lastEnd[0].plusMillis(royalty.playCloseAfterMs() + 1)));
        found.sort(Comparator.comparing(Play::startedAt).thenComparing(Play::playId));
        return new Result(found, detections, chunks[0]);
    }

    private static double timeScaleOf(Detection d) {
        try {
            return Double.parseDouble(d.evidence().getOrDefault("timeScale", "1"));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

}
