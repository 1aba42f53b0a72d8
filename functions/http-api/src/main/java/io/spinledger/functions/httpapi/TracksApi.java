package io.spinledger.functions.httpapi;

import io.spinledger.audio.AudioDecodingException;
import io.spinledger.catalog.CatalogService;
import io.spinledger.catalog.InvalidTrackException;
import io.spinledger.catalog.TrackMetadata;
import io.spinledger.json.Json;
import java.util.Map;

/** {@code POST /tracks} (multipart {@code audio} + {@code metadata} JSON), {@code GET /tracks}, {@code GET /tracks/{id}}. */
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
        } catch (InvalidTrackException e) {
            throw ApiException.badRequest(e.getMessage());
        } catch (AudioDecodingException e) {
            throw ApiException.badRequest("the 'audio' part is not decodable audio: " + e.getMessage());
        }
    }
}
