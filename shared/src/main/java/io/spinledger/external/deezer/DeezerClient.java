package io.spinledger.external.deezer;

import com.fasterxml.jackson.databind.JsonNode;
import io.spinledger.config.Settings;
import io.spinledger.domain.Recording;
import io.spinledger.domain.id.Isrc;
import io.spinledger.external.ExternalServiceException;
import io.spinledger.external.HttpExchange;
import io.spinledger.external.TransientExternalException;
import io.spinledger.external.spotify.SpotifyClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * Client of Deezer's public API for ISRC look-ups: {@code GET <base>/track/isrc:<ISRC>}, no authentication
 * (reference/external-apis.md section 3). Deezer reports errors as HTTP 200 with an {@code error} object: code 800
 * ("no data") means unknown ISRC (empty result); code 4 ("Quota limit exceeded") is a throttle and throws
 * {@link TransientExternalException}; other error codes and unreadable bodies throw
 * {@link ExternalServiceException}. HTTP 429/5xx and timeouts are transient; nothing is retried here (the queue
 * retries the work item). Every call is one {@link HttpExchange}. Thread-safe.
 */
public final class DeezerClient {
    /** Provenance value of fields Deezer supplied. */
    public static final String SOURCE = "DEEZER";
    private static final String SERVICE = "Deezer";
    private final Settings.Deezer settings;
    private final HttpExchange exchange;

    /** A client with its own HTTP client ({@code timeoutMs}). */
    public DeezerClient(Settings.Deezer settings) {
        this(settings, HttpExchange.client(Duration.ofMillis(settings.timeoutMs())));
    }

    /**
     * @param settings base URL, enabled
     * @param http     HTTP client (its timeouts apply)
     */
    public DeezerClient(Settings.Deezer settings, OkHttpClient http) {
        this.settings = settings;
        this.exchange = HttpExchange.builder(SERVICE).http(http).build();
    }

    /** Whether Deezer is to be called ({@code DEEZER_ENABLED}). */
    public boolean enabled() {
        return settings.enabled();
    }

    /**
     * The track Deezer has for an ISRC.
     *
     * @return title, artists (main artist then contributors), album, with provenance {@value #SOURCE}; empty on
     *         error 800
     */
    public Optional<Recording> lookupIsrc(Isrc isrc) {
        String url = SpotifyClient.base(settings.baseUrl()) + "/track/isrc:" + isrc.value();
        JsonNode n = exchange.execute(() -> new Request.Builder().url(url).get().build(),
                HttpExchange.Reply::jsonObject);
        JsonNode error = n.get("error");
        if (error != null) {
            int code = error.path("code").asInt(-1);
            String msg = error.path("type").asText("") + " " + error.path("message").asText("");
            if (code == 800) {
                return Optional.empty();
            }
            if (code == 4) {
                throw new TransientExternalException(SERVICE, "quota exceeded (error 4, HTTP 200): " + msg.trim(), null);
            }
            throw new ExternalServiceException(SERVICE, 200, "error " + code + ": " + msg.trim(), null);
        }
        if (!n.hasNonNull("id") || !n.hasNonNull("title")) {
            throw new ExternalServiceException(SERVICE, 200, "a track object without id/title", null);
        }
        List<String> artists = new ArrayList<>();
        if (n.path("artist").hasNonNull("name")) {
            artists.add(n.path("artist").get("name").asText());
        }
        n.path("contributors").forEach(c -> {
            String name = c.path("name").asText(null);
            if (name != null && !artists.contains(name)) {
                artists.add(name);
            }
        });
        Map<String, String> p = new LinkedHashMap<>();
        p.put("isrc", SOURCE);
        p.put("title", SOURCE);
        if (!artists.isEmpty()) {
            p.put("artists", SOURCE);
        }
        String album = n.path("album").hasNonNull("title") ? n.path("album").get("title").asText() : null;
        if (album != null) {
            p.put("album", SOURCE);
        }
        return Optional.of(new Recording(isrc.value(), n.get("title").asText(), artists, album, null, null, null,
                List.of(), p));
    }
}
