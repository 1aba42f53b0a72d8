package io.spinledger.domain.id;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An International Standard Musical Work Code (ISO 15707) in the form {@code T-ddd.ddd.ddd-c}. The check digit
 * is {@code c = (10 - (1 + sum(i * d_i, i = 1..9)) mod 10) mod 10}. Source: reference/external-apis.md section 5.
 *
 * @param value the formatted code, e.g. {@code T-034.524.680-1}
 */
public record Iswc(String value) {
    private static final Pattern FORMATTED = Pattern.compile("^T-\\d{3}\\.\\d{3}\\.\\d{3}-\\d$");
    private static final Pattern LOOSE = Pattern.compile("^T-?(\\d{3})\\.?(\\d{3})\\.?(\\d{3})[-.]?(\\d)$");

    /** @throws MalformedIswcException when {@code value} is not formatted or its check digit is wrong */
    public Iswc {
        if (value == null || !FORMATTED.matcher(value).matches()) {
            throw new MalformedIswcException("not a formatted ISWC (T-ddd.ddd.ddd-c): " + value);
        }
        String digits = value.replaceAll("\\D", "");
        int expected = checkDigit(digits.substring(0, 9));
        if (digits.charAt(9) - '0' != expected) {
            throw new MalformedIswcException("ISWC " + value + " has check digit " + digits.charAt(9)
                    + ", expected " + expected);
        }
    }

    /**
     * Normalises and validates: accepts {@code T0345246801}, {@code T-034524680-1}, {@code t-034.524.680.1}
     * (trimmed, spaces removed, upper-cased; the separators are optional) and formats as {@code T-ddd.ddd.ddd-c}.
     *
     * @throws MalformedIswcException on a wrong shape or a wrong check digit
     */
    public static Iswc parse(String raw) {
        if (raw == null) {
            throw new MalformedIswcException("ISWC is missing");
        }
        String s = raw.trim().toUpperCase(Locale.ROOT).replace(" ", "");
        if (s.startsWith("ISWC")) {
            s = s.substring(4);
        }
        Matcher m = LOOSE.matcher(s);
        if (!m.matches()) {
            throw new MalformedIswcException("not an ISWC: \"" + raw + "\" (expected T followed by 10 digits)");
        }
        return new Iswc("T-" + m.group(1) + "." + m.group(2) + "." + m.group(3) + "-" + m.group(4));
    }

    /** Like {@link #parse} but empty instead of throwing. */
    public static Optional<Iswc> tryParse(String raw) {
        try {
            return raw == null ? Optional.empty() : Optional.of(parse(raw));
        } catch (MalformedIswcException e) {
            return Optional.empty();
        }
    }

    /**
     * The check digit for the nine work digits.
     *
     * @param nineDigits e.g. {@code "034524680"}
     * @throws IllegalArgumentException when not exactly nine digits
     */
    public static int checkDigit(String nineDigits) {
        if (nineDigits == null || !nineDigits.matches("\\d{9}")) {
            throw new IllegalArgumentException("need 9 digits, got: " + nineDigits);
        }
        int sum = 1;
        for (int i = 1; i <= 9; i++) {
            sum += i * (nineDigits.charAt(i - 1) - '0');
        }
        return (10 - sum % 10) % 10;
    }

    /** The compact form stored by CWR: {@code T0345246801}. */
    public String compact() {
        return value.replaceAll("[-.]", "");
    }

    @Override
    public String toString() {
        return value;
    }
}
