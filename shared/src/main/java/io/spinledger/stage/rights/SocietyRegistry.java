package io.spinledger.stage.rights;

import com.fasterxml.jackson.databind.JsonNode;
import io.spinledger.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The performing-rights societies SpinLedger knows, with CISAC codes, and the default society per country.
 * Loaded from the classpath resources {@code pro/societies.json} and {@code pro/country-defaults.json}.
 * Immutable and thread-safe.
 */
public final class SocietyRegistry {
    /** Classpath resource of the society list. */
    public static final String SOCIETIES_RESOURCE = "/pro/societies.json";
    /** Classpath resource of the country -> society code map. */
    public static final String DEFAULTS_RESOURCE = "/pro/country-defaults.json";

    private final Map<String, Society> byCode = new LinkedHashMap<>();
    private final Map<String, Society> byName = new LinkedHashMap<>();
    private final Map<String, Society> defaults = new LinkedHashMap<>();

    private SocietyRegistry(JsonNode societies, JsonNode countryDefaults) {
        for (JsonNode s : societies.path("societies")) {
            List<String> aliases = new ArrayList<>();
            s.path("aliases").forEach(a -> aliases.add(a.asText()));
            Society society = new Society(code(s.path("code").asText()), s.path("name").asText(),
                    s.path("fullName").asText(), s.path("country").asText(), aliases,
                    s.path("confirmed").asBoolean(false), s.path("note").asText(""));
            if (byCode.put(society.code(), society) != null) {
                throw new IllegalArgumentException("duplicate society code " + society.code());
            }
            byName.put(key(society.name()), society);
            aliases.forEach(a -> byName.putIfAbsent(key(a), society));
        }
        countryDefaults.path("defaults").properties().forEach(e -> {
            Society s = byCode.get(code(e.getValue().asText()));
            if (s == null) {
                throw new IllegalArgumentException("country " + e.getKey() + " defaults to unknown society code "
                        + e.getValue().asText());
            }
            defaults.put(e.getKey().toUpperCase(Locale.ROOT), s);
        });
    }

    /**
     * The registry from the bundled resources.
     *
     * @throws IllegalStateException when a resource is missing or inconsistent
     */
    public static SocietyRegistry loadDefault() {
        try (InputStream s = SocietyRegistry.class.getResourceAsStream(SOCIETIES_RESOURCE);
             InputStream d = SocietyRegistry.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
            if (s == null || d == null) {
                throw new IllegalStateException("missing " + SOCIETIES_RESOURCE + " or " + DEFAULTS_RESOURCE);
            }
            return load(s, d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("bad PRO resources: " + e.getMessage(), e);
        }
    }

    /**
     * A registry from JSON streams shaped like the bundled resources ({@code {"societies":[...]}} and
     * {@code {"defaults":{"US":"010",...}}}).
     *
     * @throws IllegalArgumentException on duplicate codes or a default naming an unknown code
     */
    public static SocietyRegistry load(InputStream societies, InputStream countryDefaults) throws IOException {
        return new SocietyRegistry(Json.MAPPER.readTree(societies), Json.MAPPER.readTree(countryDefaults));
    }

    /** A society by CISAC code; "10", "010" and " 010 " are the same code. */
    public Optional<Society> byCode(String code) {
        if (code == null || !code.trim().matches("\\d{1,3}")) {
            return Optional.empty();
        }
        return Optional.ofNullable(byCode.get(code(code)));
    }

    /** A society by short name or alias, case-insensitive ("prs for music" finds PRS). */
    public Optional<Society> byName(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(byName.get(key(name)));
    }

    /** A society by code when the text is digits, else by name. */
    public Optional<Society> resolve(String codeOrName) {
        if (codeOrName == null || codeOrName.isBlank()) {
            return Optional.empty();
        }
        return codeOrName.trim().matches("\\d{1,3}") ? byCode(codeOrName) : byName(codeOrName);
    }

    /** The default society for an ISO alpha-2 country, e.g. "GH" -> GHAMRO; empty when none is known. */
    public Optional<Society> defaultFor(String country) {
        return country == null ? Optional.empty()
                : Optional.ofNullable(defaults.get(country.trim().toUpperCase(Locale.ROOT)));
    }

    /** All societies of a country (e.g. "US" -> ASCAP, BMI, SESAC, GMR), in resource order. */
    public List<Society> byCountry(String country) {
        String c = country == null ? "" : country.trim().toUpperCase(Locale.ROOT);
        return byCode.values().stream().filter(s -> s.country().equals(c)).toList();
    }

    /** Every society, in resource order. */
    public List<Society> all() {
        return List.copyOf(byCode.values());
    }

    /** The countries that have a default society. */
    public Set<String> countriesWithDefault() {
        return Collections.unmodifiableSet(new TreeSet<>(defaults.keySet()));
    }

    private static String code(String raw) {
        String t = raw.trim();
        return "0".repeat(Math.max(0, 3 - t.length())) + t;
    }

    private static String key(String name) {
        return name.trim().toLowerCase(Locale.ROOT);
    }
}
