package io.spinledger.stage.match;

import io.spinledger.config.TableName;
import io.spinledger.domain.Recording;
import io.spinledger.engine.audio.Pcm;
import io.spinledger.engine.audio.Wav;
import io.spinledger.engine.fingerprint.FingerprintEngine;
import io.spinledger.external.acrcloud.AcrResult;
import io.spinledger.ports.DocumentTable;
import io.spinledger.ports.ObjectStore;
import io.spinledger.ports.TableStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * So that SpinLedger does not pay ACRCloud twice for the same music: when ACRCloud names a track, the captured
 * audio becomes a <em>learned partial reference</em> in the local fingerprint index under the track id
 * {@code acr_<acrid>} (the same id ACRCloud detections carry, so plays merge). Each learned piece is placed at its
 * position in the song (from ACRCloud's {@code play_offset_ms}), so local matches report true track offsets; the
 * reference is partial (only what aired so far) and grows with every further ACRCloud answer for a part not yet
 * covered. Pieces are kept in the media bucket under {@value #PREFIX_KEY}; the description (ACRCloud's metadata,
 * pieces, coverage) in table {@link TableName#CACHE}, pk {@code learned}, sk the track id, marked
 * {@code source = ACRCLOUD_LEARNED}. Safe to call from several instances at once (conditional writes).
 */
public final class LearnedReferences {
    /** Track-id prefix of ACRCloud detections and learned references. */
    public static final String TRACK_PREFIX = "acr_";
    /** Provenance of metadata that came with a learned reference. */
    public static final String SOURCE = "ACRCLOUD_LEARNED";
    /** Object key prefix of learned audio pieces. */
    public static final String PREFIX_KEY = io.spinledger.config.BucketName.LEARNED_PREFIX;
    private static final Logger log = LoggerFactory.getLogger(LearnedReferences.class);
    private static final String PK = "learned";
    /** A new piece adds something only if at least this much of it is not yet covered. */
    private static final long MIN_NEW_MS = 3_000;

    private final ObjectStore objects;
    private final DocumentTable table;
    private final FingerprintEngine engine;
    private final Clock clock;

    /**
     * One stored piece.
     *
     * @param songOffsetMs where the piece starts in the song
     * @param durationMs   its length
     * @param objectKey    its WAV in the media bucket
     */
    public record Piece(long songOffsetMs, long durationMs, String objectKey) {
    }

    /**
     * A learned reference.
     *
     * @param trackId      {@code acr_<acrid>}
     * @param acrid        ACRCloud's id
     * @param title        title as ACRCloud gave it
     * @param artists      artists as ACRCloud gave them
     * @param isrc         ISRC as ACRCloud gave it, or null
     * @param album        album or null
     * @param label        label or null
     * @param songDurationMs ACRCloud's duration of the song, or 0 when unknown
     * @param pieces       learned audio pieces, by song offset
     * @param coveredMs    how much of the song is learned
     * @param source       always {@value #SOURCE}: marks the reference as learned, not registered by a rights holder
     * @param learnedAt    first learned
     * @param updatedAt    last piece added
     */
    public record LearnedReference(String trackId, String acrid, String title, List<String> artists, String isrc,
                                   String album, String label, long songDurationMs, List<Piece> pieces,
                                   long coveredMs, String source, Instant learnedAt, Instant updatedAt) {
        public LearnedReference {
            artists = artists == null ? List.of() : List.copyOf(artists);
            pieces = pieces == null ? List.of() : List.copyOf(pieces);
        }

        /** The recording as ACRCloud described it, provenance {@value LearnedReferences#SOURCE}. */
        public Recording recording() {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("title", SOURCE);
            p.put("artists", SOURCE);
            if (isrc != null) {
                p.put("isrc", SOURCE);
            }
            return new Recording(isrc, title, artists, album, label, null, null, List.of(), p);
        }
    }

    /**
     * @param objects media bucket (pieces)
     * @param store   the tables (descriptions)
     * @param engine  fingerprint engine whose index receives the learned references
     * @param clock   time source
     */
    public LearnedReferences(ObjectStore objects, TableStore store, FingerprintEngine engine, Clock clock) {
        this.objects = objects;
        this.table = new DocumentTable(store, TableName.CACHE);
        this.engine = engine;
        this.clock = clock;
    }

    /** The track id for an ACRCloud id (characters the index does not accept become '-'). */
    public static String trackIdOf(String acrid) {
        return TRACK_PREFIX + acrid.replaceAll("[^A-Za-z0-9._-]", "-");
    }

    /** Whether a track id is an ACRCloud or learned one. */
    public static boolean isLearnedId(String trackId) {
        return trackId != null && trackId.startsWith(TRACK_PREFIX);
    }

    /** A learned reference by track id. */
    public Optional<LearnedReference> get(String trackId) {
        return table.get(PK, trackId, LearnedReference.class);
    }

    /** Every learned reference. */
    public List<LearnedReference> list() {
        return table.query(PK, "!", "\uffff", LearnedReference.class);
    }

    /**
     * Learns audio ACRCloud identified.
     *
     * @param match         ACRCloud's best match
     * @param chunk         the chunk's audio at the engine's sample rate
     * @param trackOffsetMs song position of the chunk's first sample (negative when the song starts inside it)
     * @return the reference after learning; unchanged when the piece adds less than 3 s of new coverage
     */
    public LearnedReference learn(AcrResult.AcrMatch match, Pcm chunk, long trackOffsetMs) {
        String trackId = trackIdOf(match.acrid());
        long skip = Math.max(0, -trackOffsetMs);
        Pcm piece = chunk.slice(skip, chunk.durationMs());
        long songOffset = Math.max(0, trackOffsetMs);
        String key = PREFIX_KEY + trackId + "/" + songOffset + ".wav";
        // optimistic concurrency: several fallback instances may learn pieces of one song at once
        for (int attempt = 0; attempt < 10; attempt++) {
            Instant now = clock.instant();
            Optional<String> json = table.getJson(PK, trackId);
            Optional<LearnedReference> existing = json.map(j -> io.spinledger.json.Json.read(j, LearnedReference.class));
            long newMs = uncovered(existing.map(LearnedReference::pieces).orElse(List.of()), songOffset,
                    songOffset + piece.durationMs());
            if (existing.isPresent() && newMs < MIN_NEW_MS) {
                return existing.get();
            }
            if (attempt == 0) {
                objects.put(key, Wav.write(piece), "audio/wav");
            }
            List<Piece> pieces = new ArrayList<>(existing.map(LearnedReference::pieces).orElse(List.of()));
            pieces.removeIf(p -> p.objectKey().equals(key));
            pieces.add(new Piece(songOffset, piece.durationMs(), key));
            pieces.sort(Comparator.comparingLong(Piece::songOffsetMs));
            long covered = existing.map(LearnedReference::coveredMs).orElse(0L) + newMs;
            LearnedReference ref = new LearnedReference(trackId, match.acrid(), match.title(), match.artists(),
                    match.isrc(), match.album(), match.label(), match.durationMs() == null ? 0 : match.durationMs(),
                    pieces, covered, SOURCE, existing.map(LearnedReference::learnedAt).orElse(now), now);
            if (!table.replaceIf(PK, trackId, ref, json.orElse(null))) {
                continue;
            }
            engine.register(trackId, assemble(pieces, chunk.sampleRateHz(), key, piece));
            // a concurrent learner may have added a piece and registered an older layout after ours: re-register
            Optional<LearnedReference> latest = get(trackId);
            if (latest.isPresent() && latest.get().pieces().size() > pieces.size()) {
                engine.register(trackId, assemble(latest.get().pieces(), chunk.sampleRateHz(), key, piece));
            }
            log.info("learned {} '{}' from ACRCloud: {} ms at song offset {} ms ({} ms covered)", trackId,
                    ref.title(), piece.durationMs(), songOffset, covered);
            return ref;
        }
        throw new IllegalStateException("could not record learned piece of " + trackId + " (contention)");
    }

    /** The pieces laid out at their song offsets on silence (silence adds no fingerprints). */
    private Pcm assemble(List<Piece> pieces, int rate, String freshKey, Pcm fresh) {
        long endMs = pieces.stream().mapToLong(p -> p.songOffsetMs() + p.durationMs()).max().orElse(0);
        float[] out = new float[(int) (endMs * rate / 1000) + 1];
        for (Piece p : pieces) {
            Pcm pcm = p.objectKey().equals(freshKey) ? fresh : objects.get(p.objectKey()).map(Wav::read).orElse(null);
            if (pcm == null || pcm.sampleRateHz() != rate) {
                continue;
            }
            int at = (int) (p.songOffsetMs() * rate / 1000);
            int n = Math.min(pcm.samples().length, out.length - at);
            System.arraycopy(pcm.samples(), 0, out, at, Math.max(0, n));
        }
        return new Pcm(out, rate);
    }

    private static long uncovered(List<Piece> pieces, long from, long to) {
        long covered = 0;
        for (Piece p : pieces) {
            long a = Math.max(from, p.songOffsetMs());
            long b = Math.min(to, p.songOffsetMs() + p.durationMs());
            covered += Math.max(0, b - a);
        }
        return Math.max(0, (to - from) - covered);
    }
}
