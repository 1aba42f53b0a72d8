package io.spinledger.functions.httpapi;

import io.spinledger.catalog.StationRepository;
import io.spinledger.config.BucketName;
import io.spinledger.config.QueueName;
import io.spinledger.config.Settings;
import io.spinledger.domain.CaptureRequest;
import io.spinledger.domain.Station;
import io.spinledger.engine.audio.AudioDecoder;
import io.spinledger.engine.audio.AudioDecodingException;
import io.spinledger.json.Json;
import io.spinledger.ports.MessagePublisher;
import io.spinledger.ports.ObjectStore;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@code POST /stations}, {@code GET /stations}, {@code GET /stations/{id}} and
 * {@code POST /stations/{id}/airchecks} (a recorded broadcast into the same pipeline as live audio).
 */
final class StationsApi {
    private static final Set<String> CLASSES = Set.of("A", "B", "C", "ONLINE", "COMMUNITY");
    private final StationRepository stations;
    private final ObjectStore objects;
    private final MessagePublisher publisher;
    private final Settings settings;
    private final Clock clock;

    StationsApi(StationRepository stations, ObjectStore objects, MessagePublisher publisher, Settings settings,
                Clock clock) {
        this.stations = stations;
        this.objects = objects;
        this.publisher = publisher;
        this.settings = settings;
        this.clock = clock;
    }

    /** The body of {@code POST /stations}. */
    record NewStation(String stationId, String name, String streamUrl, String country, String stationClass,
                      String currency, String timezone) {
    }

    ApiResponse handle(ApiRequest req) {
        String id = req.pathParams().get("id");
        if (req.method().equals("POST") && req.path().endsWith("/airchecks")) {
            return aircheck(id, req);
        }
        if (req.method().equals("POST")) {
            return create(req);
        }
        if (id != null) {
            Station s = stations.get(id).orElseThrow(() -> ApiException.notFound("no station " + id));
            return ApiResponse.json(200, view(s));
        }
        return ApiResponse.json(200, Map.of("stations", stations.list().stream().map(this::view).toList()));
    }

    private Map<String, Object> view(Station s) {
        Map<String, Object> m = new LinkedHashMap<>(Json.MAPPER.convertValue(s, Map.class));
        m.put("health", stations.health(s.stationId()));
        return m;
    }

    private ApiResponse create(ApiRequest req) {
        if (!req.contentType().startsWith("application/json")) {
            throw ApiException.badRequest("expected an application/json body");
        }
        NewStation n = Json.read(req.bodyText(), NewStation.class);
        if (n == null || n.name() == null || n.name().isBlank()) {
            throw ApiException.badRequest("name is required");
        }
        if (n.country() == null || !n.country().matches("[A-Za-z]{2}")) {
            throw ApiException.badRequest("country must be an ISO 3166-1 alpha-2 code such as GH");
        }
        if (n.streamUrl() != null && !n.streamUrl().isBlank()) {
            try {
                URI u = URI.create(n.streamUrl());
                if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
                        || u.getHost() == null) {
                    throw new IllegalArgumentException("not http(s)");
                }
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("streamUrl must be an http:// or https:// URL, got " + n.streamUrl());
            }
        }
        String id = n.stationId() == null || n.stationId().isBlank() ? slug(n.name()) : n.stationId().trim();
        if (!id.matches("[a-z0-9][a-z0-9-]{0,62}")) {
            throw ApiException.badRequest("stationId must be lower-case letters, digits and '-', got " + id);
        }
        String cls = n.stationClass() == null ? "B" : n.stationClass().trim().toUpperCase(Locale.ROOT);
        if (!CLASSES.contains(cls)) {
            throw ApiException.badRequest("stationClass must be one of " + CLASSES + ", got " + n.stationClass());
        }
        String currency = n.currency() == null ? settings.royalty().defaultCurrency() : n.currency().trim();
        try {
            Currency.getInstance(currency);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("currency must be an ISO 4217 code, got " + currency);
        }
        String tz = n.timezone() == null ? "UTC" : n.timezone().trim();
        try {
            ZoneId.of(tz);
        } catch (RuntimeException e) {
            throw ApiException.badRequest("timezone must be an IANA zone such as Africa/Accra, got " + tz);
        }
        Station s = new Station(id, n.name().trim(), n.streamUrl() == null || n.streamUrl().isBlank() ? null
                : n.streamUrl().trim(), n.country().toUpperCase(Locale.ROOT), cls, currency, tz, clock.instant());
        if (!stations.create(s)) {
            throw new ApiException(409, "station " + id + " already exists");
        }
        return ApiResponse.json(201, s);
    }

    private ApiResponse aircheck(String stationId, ApiRequest req) {
        Station s = stations.get(stationId).orElseThrow(() -> ApiException.notFound("no station " + stationId));
        Map<String, Multipart.Part> parts = Multipart.parse(req);
        Multipart.Part audio = parts.get("audio");
        if (audio == null || audio.bytes().length == 0) {
            throw ApiException.badRequest("the 'audio' part is missing or empty");
        }
        Multipart.Part startedAtPart = parts.get("startedAt");
        if (startedAtPart == null) {
            throw ApiException.badRequest("the 'startedAt' part (ISO-8601 instant of the recording's start) is missing");
        }
        Instant startedAt;
        try {
            startedAt = Instant.parse(startedAtPart.text().trim());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("startedAt must be an ISO-8601 instant such as 2026-11-21T08:00:00Z, got "
                    + startedAtPart.text().trim());
        }
        try {
            new AudioDecoder(settings.capture().sampleRateHz(), 3_000).decodeStart(audio.bytes(), 3_000);
        } catch (AudioDecodingException e) {
            throw ApiException.badRequest("the 'audio' part is not decodable audio: " + e.getMessage());
        }
        String requestId = "air-" + UUID.randomUUID();
        String key = BucketName.AIRCHECKS_PREFIX + s.stationId() + "/" + requestId;
        objects.put(key, audio.bytes(), audio.contentType() == null ? "application/octet-stream" : audio.contentType());
        publisher.send(QueueName.CAPTURE, new CaptureRequest(requestId, s.stationId(), CaptureRequest.Kind.AIRCHECK,
                startedAt, 0, key));
        return ApiResponse.json(202, Map.of("requestId", requestId, "stationId", s.stationId(),
                "startedAt", startedAt.toString(), "objectKey", key, "bytes", audio.bytes().length));
    }

    static String slug(String name) {
        String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        return s.isEmpty() ? "station-" + UUID.randomUUID().toString().substring(0, 8) : s.substring(0, Math.min(60, s.length()));
    }

    static List<String> classes() {
        return List.copyOf(CLASSES);
    }
}
