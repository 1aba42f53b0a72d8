package io.spinledger.functions.httpapi;

import io.spinledger.catalog.TrackRepository;
import io.spinledger.engine.audio.AudioDecoder;
import io.spinledger.engine.audio.AudioDecodingException;
import io.spinledger.engine.audio.Pcm;
import io.spinledger.engine.audio.Wav;
import io.spinledger.engine.fingerprint.FingerprintEngine;
import io.spinledger.engine.fingerprint.Match;
import io.spinledger.external.acrcloud.AcrResult;
import io.spinledger.stage.fallback.AcrCloudGuard;
import io.spinledger.stage.match.ChunkMatcher;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /identify} multipart {@code audio}: the local index first, then ACRCloud when configured.
 * Answers which source answered and how long each took.
 */
final class IdentifyApi {
    private final FingerprintEngine engine;
    private final ChunkMatcher matcher;
    private final AudioDecoder decoder;
    private final TrackRepository tracks;
    private final AcrCloudGuard acr;

    IdentifyApi(FingerprintEngine engine, ChunkMatcher matcher, AudioDecoder decoder, TrackRepository tracks,
                AcrCloudGuard acr) {
        this.engine = engine;
        this.matcher = matcher;
        this.decoder = decoder;
        this.tracks = tracks;
        this.acr = acr;
    }

    ApiResponse handle(ApiRequest req) {
        Multipart.Part audio = Multipart.parse(req).get("audio");
        if (audio == null || audio.bytes().length == 0) {
            throw ApiException.badRequest("the 'audio' part is missing or empty");
        }
        Pcm pcm;
        try {
            pcm = decoder.decode(audio.bytes());
        } catch (AudioDecodingException e) {
            throw ApiException.badRequest("the 'audio' part is not decodable audio: " + e.getMessage());
        }
        if (pcm.durationMs() < 2_000) {
            throw ApiException.badRequest("the clip is " + pcm.durationMs() + " ms long; send at least 2 s (5-20 s is best)");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> timings = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        matcher.refreshIfDue();
        List<Match> matches = engine.identify(pcm);
        timings.put("localMs", (System.nanoTime() - t0) / 1_000_000);
        out.put("clipDurationMs", pcm.durationMs());
        if (!matches.isEmpty()) {
            Match m = matches.get(0);
            Map<String, Object> match = new LinkedHashMap<>();
            match.put("trackId", m.trackId());
            tracks.get(m.trackId()).ifPresent(t -> {
                match.put("title", t.title());
                match.put("artists", t.artists());
                match.put("isrc", t.isrc());
            });
            match.put("trackOffsetMs", m.trackOffsetMs());
            match.put("matchStartMs", m.matchStartMs());
            match.put("matchEndMs", m.matchEndMs());
            match.put("alignedCount", m.alignedCount());
            match.put("confidence", m.confidence());
            match.put("timeScale", m.timeScale());
            match.put("frequencyFactor", m.frequencyFactor());
            out.put("source", "LOCAL");
            out.put("match", match);
        } else if (acr.active()) {
            long t1 = System.nanoTime();
            AcrResult r = acr.identifyWav(Wav.write(pcm));
            timings.put("acrcloudMs", (System.nanoTime() - t1) / 1_000_000);
            out.put("source", r.best().isPresent() ? "ACRCLOUD" : "NONE");
            out.put("acrcloudStatus", Map.of("code", r.statusCode(), "msg", String.valueOf(r.statusMsg())));
            r.best().ifPresent(b -> out.put("match", b));
        } else {
            out.put("source", "NONE");
            out.put("note", "no local match; ACRCloud fallback is not configured");
        }
        out.put("timings", timings);
        return ApiResponse.json(200, out);
    }
}
