package io.spinledger.functions.httpapi;

import io.spinledger.external.TransientExternalException;
import io.spinledger.soundtrack.Soundtrack;
import io.spinledger.soundtrack.SoundtrackFinder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /soundtracks/{imdbId}[?title=]}: a film's soundtrack for TV cue sheets (MusicBrainz release linked
 * to the IMDb title, else catalog tracks on an album of that title, else Spotify's album of that title; cached).
 * 200 with the tracks, their ISRCs and catalog track ids; 400 when the id is not {@code tt} and 7 or 8 digits;
 * 404 when no source knows it (the body says what was tried); 503 when a source failed and nothing was found.
 */
final class SoundtracksApi {
    private final SoundtrackFinder finder;

    SoundtracksApi(SoundtrackFinder finder) {
        this.finder = finder;
    }

    ApiResponse handle(ApiRequest req) {
        String id = req.pathParams().get("imdbId");
        if (!SoundtrackFinder.isImdbId(id)) {
            throw ApiException.badRequest("not an IMDb title id: \"" + id + "\" (expected tt and 7 or 8 digits, "
                    + "e.g. tt0110357)");
        }
        Soundtrack s;
        try {
            s = finder.find(id, req.query("title").orElse(null));
        } catch (TransientExternalException e) {
            return ApiResponse.error(503, "soundtrack sources unavailable, try again later: " + e.getMessage());
        }
        if (!s.found()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("error", "no soundtrack found for " + id + (req.query("title").isEmpty()
                    ? " (MusicBrainz links no release to it; add ?title= to search the catalog and Spotify)" : ""));
            out.put("status", 404);
            out.put("notes", s.notes());
            return ApiResponse.json(404, out);
        }
        return ApiResponse.json(200, s);
    }
}
