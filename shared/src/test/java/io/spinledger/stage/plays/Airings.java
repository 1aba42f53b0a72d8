package io.spinledger.stage.plays;

import io.spinledger.domain.Detection;
import io.spinledger.domain.DetectionMessage;
import io.spinledger.domain.ProMapping;
import io.spinledger.domain.Recording;
import io.spinledger.domain.SocietyShare;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Test fixture: what fingerprint-match would report for a song airing on a station captured in 10 s chunks
 * every 8 s (2 s overlap). A chunk that holds at least 2 s of the song matches it, with the match interval
 * exactly the part of the chunk where the song plays.
 */
public final class Airings {
    /** Chunk length. */
    public static final long CHUNK_MS = 10_000;
    /** Chunk step (length minus overlap). */
    public static final long STEP_MS = 8_000;
    private static final long MIN_OVERLAP_MS = 2_000;

    private Airings() {
    }

    /**
     * Detections of a song that airs at {@code airStart} for {@code songMs}, from chunks starting every 8 s at
     * {@code gridStart} (and later).
     */
    public static List<Detection> airing(String stationId, String trackId, Instant gridStart, Instant airStart,
                                         long songMs) {
        long air0 = airStart.toEpochMilli();
        long air1 = air0 + songMs;
        List<Detection> out = new ArrayList<>();
        long first = gridStart.toEpochMilli();
        long k0 = Math.max(0, (air0 - CHUNK_MS - first) / STEP_MS);
        for (long k = k0; first + k * STEP_MS < air1; k++) {
            long cs = first + k * STEP_MS;
            long from = Math.max(cs, air0);
            long to = Math.min(cs + CHUNK_MS, air1);
            if (to - from < MIN_OVERLAP_MS) {
                continue;
            }
            String chunkId = "c-" + stationId + "-" + cs;
            out.add(new Detection("d-" + chunkId + "-" + trackId, chunkId, stationId, Instant.ofEpochMilli(cs),
                    CHUNK_MS, trackId, cs - air0, from - cs, to - cs, 20 + (int) (k % 7),
                    0.6 + (k % 4) / 10.0, Detection.Source.LOCAL, Map.of()));
        }
        return out;
    }

    /** The instant {@code seconds} after {@code t}. */
    public static Instant plus(Instant t, long seconds) {
        return t.plus(Duration.ofSeconds(seconds));
    }

    /** A detection message with a recording and the given society shares (code, percent pairs). */
    public static DetectionMessage message(Detection d, String title, String... codeAndPercent) {
        List<SocietyShare> shares = new ArrayList<>();
        for (int i = 0; i + 1 < codeAndPercent.length; i += 2) {
            shares.add(new SocietyShare(codeAndPercent[i], "S" + codeAndPercent[i],
                    new BigDecimal(codeAndPercent[i + 1]), "writer " + i / 2, "composer", "DECLARED", 1.0));
        }
        Recording rec = new Recording("GHA012600001", title, List.of("Artist of " + title), null, null, null, null,
                List.of(), Map.of("title", "CATALOG"));
        return new DetectionMessage(d, rec, shares.isEmpty() ? null : new ProMapping(shares, false));
    }
}
