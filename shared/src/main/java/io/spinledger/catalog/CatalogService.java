package io.spinledger.catalog;

import io.spinledger.config.BucketName;
import io.spinledger.domain.Track;
import io.spinledger.domain.Writer;
import io.spinledger.domain.id.Isrc;
import io.spinledger.domain.id.MalformedIsrcException;
import io.spinledger.engine.audio.AudioDecoder;
import io.spinledger.engine.audio.Pcm;
import io.spinledger.engine.fingerprint.FingerprintEngine;
import io.spinledger.engine.fingerprint.Fingerprints;
import io.spinledger.engine.fingerprint.Match;
import java.math.BigDecimal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers reference tracks: validates the metadata, decodes the audio, fingerprints it into the index
 * (a segment in object storage), keeps the reference audio and records the track in the catalog. The track
 * id is derived from the audio bytes, so uploading the same file again returns the existing track; other files
 * of a recording already in the catalog are refused ({@link DuplicateTrackException}) unless the metadata says
 * they are a distinct version.
 */
public final class CatalogService {
    private static final Logger log = LoggerFactory.getLogger(CatalogService.class);
    private final TrackRepository tracks;
    private final io.spinledger.ports.ObjectStore objects;
    private final FingerprintEngine engine;
    private final AudioDecoder decoder;
    private final Clock clock;

    /**
     * @param tracks  catalog
     * @param objects media bucket (reference audio)
     * @param engine  fingerprint engine (index)
     * @param decoder audio decoder at the engine's sample rate
     * @param clock   registration time source
     */
    public CatalogService(TrackRepository tracks, io.spinledger.ports.ObjectStore objects, FingerprintEngine engine,
                          AudioDecoder decoder, Clock clock) {
        this.tracks = tracks;
        this.objects = objects;
        this.engine = engine;
        this.decoder = decoder;
        this.clock = clock;
    }

    /**
     * The outcome of a registration.
     *
     * @param track   the catalog track
     * @param created false when the same audio was already registered
     */
    public record Registration(Track track, boolean created) {
    }

    /**
     * Registers a recording.
     *
     * @param metadata what the owner declares
     * @param audio    the recording in any format FFmpeg decodes
     * @throws InvalidTrackException when the metadata is incomplete or inconsistent
     * @throws DuplicateTrackException when the recording is already in the catalog (a re-encode, a trimmed
     *                                 or level-changed copy) and the metadata does not say it is a distinct version
     * @throws io.spinledger.engine.audio.AudioDecodingException when the audio is empty, not audio, or corrupt
     */
    public Registration register(TrackMetadata metadata, byte[] audio) {
        String isrc = validate(metadata);
        if (audio == null || audio.length == 0) {
            throw new InvalidTrackException("the audio part is empty");
        }
        String trackId = "trk_" + sha256(audio).substring(0, 20);
        Optional<Track> existing = tracks.get(trackId);
        if (existing.isPresent()) {
            return new Registration(existing.get(), false);
        }
        Pcm pcm = decoder.decode(audio);
        if (pcm.durationMs() < 5_000) {
            throw new InvalidTrackException("the audio is only " + pcm.durationMs() + " ms long; a reference track "
                    + "needs at least 5 s");
        }
        if (!metadata.distinctVersion()) {
            Optional<Match> duplicate = engine.findDuplicate(pcm);
            if (duplicate.isPresent()) {
                Track existingTrack = tracks.get(duplicate.get().trackId()).orElse(null);
                if (existingTrack != null) {
                    log.info("refused {}: duplicate of {}", trackId, existingTrack.trackId());
                    throw new DuplicateTrackException(existingTrack, duplicate.get().trackOffsetMs());
                }
            }
        }
        Fingerprints fp = engine.register(trackId, pcm);
        objects.put(BucketName.REFERENCES_PREFIX + trackId, audio, "application/octet-stream");
        Track track = new Track(trackId, metadata.title().trim(), metadata.artists(), isrc, metadata.album(),
                metadata.label(), metadata.externalId(), metadata.writers(), pcm.durationMs(), fp.size(),
                clock.instant());
        tracks.put(track);
        log.info("registered {} '{}' ({} ms, {} fingerprints)", trackId, track.title(), track.durationMs(), fp.size());
        return new Registration(track, true);
    }

    /** All tracks. */
    public List<Track> list() {
        return tracks.list();
    }

    /** One track. */
    public Optional<Track> get(String trackId) {
        return tracks.get(trackId);
    }

    private static String validate(TrackMetadata m) {
        if (m == null) {
            throw new InvalidTrackException("metadata is required");
        }
        if (m.title() == null || m.title().isBlank()) {
            throw new InvalidTrackException("metadata.title is required");
        }
        if (m.artists().isEmpty() || m.artists().stream().anyMatch(a -> a == null || a.isBlank())) {
            throw new InvalidTrackException("metadata.artists must list at least one artist, none blank");
        }
        BigDecimal total = BigDecimal.ZERO;
        boolean anyShare = false;
        for (Writer w : m.writers()) {
            if (w.name() == null || w.name().isBlank()) {
                throw new InvalidTrackException("every writer needs a name");
            }
            if (w.ipi() != null && !w.ipi().matches("\\d{9,11}")) {
                throw new InvalidTrackException("writer " + w.name() + ": IPI must be 9 to 11 digits, got " + w.ipi());
            }
            if (w.sharePercent() != null) {
                if (w.sharePercent().signum() < 0 || w.sharePercent().compareTo(BigDecimal.valueOf(100)) > 0) {
                    throw new InvalidTrackException("writer " + w.name() + ": sharePercent must be 0..100");
                }
                total = total.add(w.sharePercent());
                anyShare = true;
            }
        }
        if (anyShare && total.compareTo(BigDecimal.valueOf(100)) > 0) {
            throw new InvalidTrackException("writers' shares add up to " + total + " %, more than 100 %");
        }
        if (m.isrc() == null || m.isrc().isBlank()) {
            return null;
        }
        try {
            return Isrc.parse(m.isrc()).value();
        } catch (MalformedIsrcException e) {
            throw new InvalidTrackException(e.getMessage());
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
