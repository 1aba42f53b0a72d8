package io.spinledger.domain.id;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An International Standard Recording Code (ISO 3901) in its stored 12-character form {@code CCXXXYYNNNNN}:
 * country/prefix code (2 letters), registrant (3 alphanumerics), year of reference (2 digits), designation
 * (5 digits). There is no check digit. Source: reference/external-apis.md section 4.
 *
 * @param value the normalised code, e.g. {@code GBAAA9900303}
 */
public record Isrc(String value) {
    private static final Pattern VALID = Pattern.compile("^[A-Z]{2}[A-Z0-9]{3}[0-9]{7}$");
    /** Prefixes the US agency issues besides {@code US} (QM from 2010, QZ from 2015, QT from 2024). */
    private static final Set<String> US_PREFIXES = Set.of("US", "QM", "QZ", "QT");

    /** @throws MalformedIsrcException when {@code value} is not already normalised and valid */
    public Isrc {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new MalformedIsrcException("not a normalised ISRC (CC XXX YY NNNNN, 12 characters): " + value);
        }
    }

    /**
     * Normalises and validates: trims, strips a leading "ISRC" label, spaces and hyphens, upper-cases.
     * {@code "isrc gb-aaa-99-00303"} becomes {@code GBAAA9900303}.
     *
     * @throws MalformedIsrcException quoting the input when the result is not {@code ^[A-Z]{2}[A-Z0-9]{3}[0-9]{7}$}
     */
    public static Isrc parse(String raw) {
        if (raw == null) {
            throw new MalformedIsrcException("ISRC is missing");
        }
        String n = normalise(raw);
        if (!VALID.matcher(n).matches()) {
            throw new MalformedIsrcException("not an ISRC: \"" + raw + "\" (normalised \"" + n
                    + "\"; expected 2 letters, 3 letters/digits, 7 digits)");
        }
        return new Isrc(n);
    }

    /** Like {@link #parse} but empty instead of throwing (null or malformed input). */
    public static Optional<Isrc> tryParse(String raw) {
        try {
            return raw == null ? Optional.empty() : Optional.of(parse(raw));
        } catch (MalformedIsrcException e) {
            return Optional.empty();
        }
    }

    /**
     * The normal form of a string without validating it: trimmed, upper-cased, a leading "ISRC" or "ISRC:"
     * label, spaces and hyphens removed.
     */
    public static String normalise(String raw) {
        String s = raw.trim().toUpperCase(Locale.ROOT);
        if (s.startsWith("ISRC")) {
            s = s.substring(4).trim();
            if (s.startsWith(":")) {
                s = s.substring(1);
            }
        }
        return s.replaceAll("[\\s\\-]", "");
    }

    /** The country/prefix code (first 2 letters): the registrant's national agency, not the territory of rights. */
    public String countryCode() {
        return value.substring(0, 2);
    }

    /**
     * The ISO 3166 alpha-2 country of the issuing agency where one is implied: {@code QM, QZ, QT -> US},
     * {@code UK -> GB}; the code itself otherwise ({@code ZZ} and other non-country codes are returned as-is).
     */
    public String agencyCountry() {
        String cc = countryCode();
        if (US_PREFIXES.contains(cc)) {
            return "US";
        }
        return cc.equals("UK") ? "GB" : cc;
    }

    /** The hyphenated presentation form {@code CC-XXX-YY-NNNNN}. */
    public String display() {
        return value.substring(0, 2) + "-" + value.substring(2, 5) + "-" + value.substring(5, 7) + "-" + value.substring(7);
    }

    @Override
    public String toString() {
        return value;
    }
}
