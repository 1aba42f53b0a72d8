package io.spinledger.external.acrcloud;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.spinledger.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an identify response body tolerantly: identifiers may be strings or arrays of strings, offsets numbers
 * or numeric strings, album a string or {@code {"name":..}}, {@code external_ids} may be {@code {}} or absent.
 */
final class AcrResponseParser {
    /** Status and matches as found in the body. */
    record Parsed(int code, String msg, List<AcrResult.AcrMatch> matches) {
    }

    private AcrResponseParser() {
    }

    /** @throws IllegalArgumentException when the body is not JSON or has no {@code status.code} */
    static Parsed parse(String body) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
        JsonNode status = root == null ? null : root.get("status");
        Long code = status == null ? null : number(status.get("code"));
        if (code == null) {
            throw new IllegalArgumentException("no status.code in response");
        }
        String msg = text(status.get("msg"));
        List<AcrResult.AcrMatch> matches = new ArrayList<>();
        for (JsonNode m : array(root.path("metadata").get("music"))) {
            matches.add(match(m));
        }
        return new Parsed(code.intValue(), msg == null ? "" : msg, matches);
    }

    private static AcrResult.AcrMatch match(JsonNode m) {
        List<String> artists = new ArrayList<>();
        for (JsonNode a : array(m.get("artists"))) {
            String name = text(a);
            if (name != null) {
                artists.add(name);
            }
        }
        JsonNode ids = m.get("external_ids");
        Long score = number(m.get("score"));
        return new AcrResult.AcrMatch(text(m.get("acrid")), text(m.get("title")), artists, text(m.get("album")),
                text(m.get("label")), ids == null ? null : text(ids.get("isrc")),
                ids == null ? null : text(ids.get("iswc")),
                score == null ? 0 : score.intValue(), number(m.get("play_offset_ms")),
                number(m.get("sample_begin_time_offset_ms")), number(m.get("sample_end_time_offset_ms")),
                number(m.get("duration_ms")));
    }

    /** A node as a list: arrays as themselves, a single value as a one-element list, null/missing as empty. */
    private static List<JsonNode> array(JsonNode n) {
        List<JsonNode> out = new ArrayList<>();
        if (n == null || n.isNull() || n.isMissingNode()) {
            return out;
        }
        if (n.isArray()) {
            n.forEach(out::add);
        } else {
            out.add(n);
        }
        return out;
    }

    /** Text of a string, the first element of an array, or the {@code name} of an object; null if none. */
    static String text(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        if (n.isArray()) {
            for (JsonNode e : n) {
                String t = text(e);
                if (t != null) {
                    return t;
                }
            }
            return null;
        }
        if (n.isObject()) {
            return text(n.get("name"));
        }
        String t = n.asText().trim();
        return t.isEmpty() ? null : t;
    }

    /** A whole number from a number, a numeric string (decimals truncated), or an array's first; else null. */
    static Long number(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        if (n.isArray()) {
            return n.isEmpty() ? null : number(n.get(0));
        }
        if (n.isNumber()) {
            return n.asLong();
        }
        if (n.isTextual()) {
            try {
                return (long) Double.parseDouble(n.asText().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
