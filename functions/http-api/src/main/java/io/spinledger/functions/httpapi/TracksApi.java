package io.spinledger.functions.httpapi;

import io.spinledger.catalog.CatalogService;
import io.spinledger.catalog.DuplicateTrackException;
import io.spinledger.catalog.InvalidTrackException;
import io.spinledger.catalog.TrackMetadata;
import io.spinledger.engine.audio.AudioDecodingException;
import io.spinledger.json.Json;
import java.util.Map;

/**
 * {@code POST /tracks} (multipart {@code audio} + {@code metadata} JSON; 409 naming the existing track when the
 * recording is already in the catalog and {@code metadata.distinctVersion} is not set), {@code GET /tracks},
 * {@code GET /tracks/{id}}.
 */
final class TracksApi {
    private final CatalogService catalog;

    TracksApi(CatalogService catalog) {
        this.catalog = catalog;
    }

    ApiResponse handle(ApiRequest req) {
        if (req.method().equals("POST")) {
            return register(req);
        }
        String id = req.pathParams().get("id");
        if (id != null) {
            return ApiResponse.json(200, catalog.get(id).orElseThrow(() -> ApiException.notFound("no track " + id)));
        }
        return ApiResponse.json(200, Map.of("tracks", catalog.list()));
    }

    private ApiResponse register(ApiRequest req) {
        Map<String, Multipart.Part> parts = Multipart.parse(req);
        Multipart.Part audio = parts.get("audio");
        Multipart.Part metadata = parts.get("metadata");
        if (audio == null || audio.bytes().length == 0) {
            throw ApiException.badRequest("the 'audio' part is missing or empty");
        }
        if (metadata == null) {
            throw ApiException.badRequest("the 'metadata' part (JSON with title, artists...) is missing");
        }
        TrackMetadata meta = Json.read(metadata.text(), TrackMetadata.class);
        try {
            CatalogService.Registration r = catalog.register(meta, audio.bytes());
            return ApiResponse.json(r.created() ? 201 : 200, Map.of("trackId", r.track().trackId(),
                    "created", r.created(), "track", r.track()));
        } catch (DuplicateTrackException e) {
            Map<String, Object> body = new java.util.LinkedHashMap<>();
            body.put("error", e.getMessage());
            body.put("status", 409);
            body.put("existingTrackId", e.existing().trackId());
            body.put("existingTitle", e.existing().title());
            body.put("existingOffsetMs", e.existingOffsetMs());
            return ApiResponse.json(409, body);
        } catch (InvalidTrackException e) {
            throw ApiException.badRequest(e.getMessage());
        } catch (AudioDecodingException e) {
            throw ApiException.badRequest("the 'audio' part is not decodable audio: " + e.getMessage());
        }
    }
}
