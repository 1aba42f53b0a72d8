package io.spinledger.cli.cost;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * A metering snapshot of a SpinLedger run, as the local runtime serves it at {@code GET /local/metering} and writes
 * it to {@code <data-dir>/metering.json}: the counters of {@link io.spinledger.stats.Metering} plus what is stored.
 *
 * @param source          where it was read from (for messages)
 * @param startedAt       when the runtime started
 * @param takenAt         when the snapshot was taken
 * @param uptimeMs        runtime uptime at the snapshot (ms)
 * @param registered      stations registered
 * @param live            live streams held at the snapshot
 * @param counters        every counter by name
 * @param s3Prefixes      media bucket by top-level prefix ({@code chunks/}...): objects and bytes
 * @param tables          DynamoDB tables by name: items and bytes
 * @param scheduleSeconds the local runtime's schedule interval per scheduled function (s)
 */
public record MeteringSnapshot(String source, Instant startedAt, Instant takenAt, long uptimeMs, long registered,
                               long live, Map<String, Long> counters, Map<String, Stored> s3Prefixes,
                               Map<String, Stored> tables, Map<String, Integer> scheduleSeconds) {

    /** The {@code format} value this reader understands. */
    public static final String FORMAT = "spinledger-metering/1";

    /**
     * Objects (or items) and their bytes.
     *
     * @param count objects or items
     * @param bytes their size in bytes
     */
    public record Stored(long count, long bytes) {
    }

    /** A counter's value, 0 when absent. */
    public long counter(String name) {
        return counters.getOrDefault(name, 0L);
    }

    /**
     * Parses a snapshot.
     *
     * @param json   the snapshot's text
     * @param source where it came from (file or URL), for messages
     * @return the snapshot
     * @throws IllegalArgumentException when the text is not JSON, not a metering snapshot, or lacks a field
     *                                  (the message names the source and what is wrong)
     */
    public static MeteringSnapshot parse(String json, String source) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + " is not JSON (" + e.getOriginalMessage()
                    + "): expected a metering snapshot from GET /local/metering or <data-dir>/metering.json");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(source + " is not a JSON object: expected a metering snapshot");
        }
        String format = root.path("format").asText("");
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException(source + " is not a metering snapshot: format is "
                    + (format.isEmpty() ? "missing" : "'" + format + "'") + ", expected '" + FORMAT + "'");
        }
        JsonNode counters = require(root, "counters", source);
        if (!counters.isObject()) {
            throw new IllegalArgumentException(source + ": 'counters' is not an object");
        }
        Map<String, Long> c = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = counters.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().canConvertToLong()) {
                throw new IllegalArgumentException(source + ": counter '" + e.getKey() + "' is not a whole number");
            }
            c.put(e.getKey(), e.getValue().asLong());
        }
        long uptime = require(root, "uptimeMs", source).asLong(-1);
        if (uptime <= 0) {
            throw new IllegalArgumentException(source + ": 'uptimeMs' must be a positive number of ms");
        }
        JsonNode stations = require(root, "stations", source);
        Map<String, Integer> schedule = new TreeMap<>();
        root.path("runtime").path("scheduleSeconds").fields()
                .forEachRemaining(e -> schedule.put(e.getKey(), e.getValue().asInt()));
        return new MeteringSnapshot(source, instant(root, "startedAt", source), instant(root, "takenAt", source),
                uptime, stations.path("registered").asLong(0), stations.path("live").asLong(0),
                Collections.unmodifiableMap(c), stored(root.path("storage").path("s3").path("prefixes"), "objects"),
                stored(root.path("storage").path("dynamodb"), "items"), Collections.unmodifiableMap(schedule));
    }

    private static Map<String, Stored> stored(JsonNode node, String countField) {
        Map<String, Stored> out = new TreeMap<>();
        node.fields().forEachRemaining(e -> {
            if (e.getValue().has("bytes")) {
                out.put(e.getKey(), new Stored(e.getValue().path(countField).asLong(0),
                        e.getValue().path("bytes").asLong(0)));
            }
        });
        return Collections.unmodifiableMap(out);
    }

    private static JsonNode require(JsonNode root, String field, String source) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            throw new IllegalArgumentException(source + ": the metering snapshot has no '" + field + "'");
        }
        return n;
    }

    private static Instant instant(JsonNode root, String field, String source) {
        String s = require(root, field, source).asText();
        try {
            return Instant.parse(s);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(source + ": '" + field + "' is not an ISO instant: " + s);
        }
    }
}
