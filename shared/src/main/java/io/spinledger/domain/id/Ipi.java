package io.spinledger.domain.id;

import java.util.Optional;

/**
 * An IPI Name Number: 11 digits whose last two are a mod-101 check over the first nine
 * (reference/external-apis.md section 5, after django-music-publisher {@code validators.py}):
 * {@code t = sum(d_i * (10 - i), i = 0..8) mod 101}, then {@code t = (101 - t) mod 100} when {@code t != 0};
 * the check is {@code t} as two digits. A legacy 9-digit CAE number becomes an IPI name number with two
 * leading zeros. {@code 00000000000} is refused, as MusicBrainz does. The formula could not be tested against an
 * official specimen; it is the one the CWR tooling in use applies.
 *
 * @param value the 11 digits, e.g. {@code 00014107338}
 */
public record Ipi(String value) {

    /** @throws IllegalArgumentException when not 11 digits, all zeros, or the check digits are wrong */
    public Ipi {
        String problem = problemOf(value);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /**
     * Normalises (trims, drops spaces, dots and hyphens, pads a 9-digit CAE number with "00") and validates.
     *
     * @throws IllegalArgumentException when the result is not a valid IPI name number (see {@link #problemOf})
     */
    public static Ipi parse(String raw) {
        return new Ipi(normalise(raw));
    }

    /** Like {@link #parse}, empty instead of throwing. */
    public static Optional<Ipi> tryParse(String raw) {
        return problemOf(normalise(raw)) == null ? Optional.of(new Ipi(normalise(raw))) : Optional.empty();
    }

    /**
     * Why a (normalised) IPI name number is not valid, or null when it is.
     *
     * @return e.g. {@code "IPI 00014107339 has check digits 39, expected 38"}
     */
    public static String problemOf(String ipi) {
        if (ipi == null || !ipi.matches("\\d{11}")) {
            return "IPI name number must be 11 digits, got \"" + ipi + "\"";
        }
        if (ipi.equals("00000000000")) {
            return "IPI 00000000000 is not a party";
        }
        String expected = checkDigits(ipi.substring(0, 9));
        if (!ipi.endsWith(expected)) {
            return "IPI " + ipi + " has check digits " + ipi.substring(9) + ", expected " + expected;
        }
        return null;
    }

    /**
     * The two check digits of nine IPI digits.
     *
     * @throws IllegalArgumentException when not exactly nine digits
     */
    public static String checkDigits(String nineDigits) {
        if (nineDigits == null || !nineDigits.matches("\\d{9}")) {
            throw new IllegalArgumentException("need 9 digits, got: " + nineDigits);
        }
        int t = 0;
        for (int i = 0; i < 9; i++) {
            t += (nineDigits.charAt(i) - '0') * (10 - i);
        }
        t %= 101;
        if (t != 0) {
            t = (101 - t) % 100;
        }
        return String.format("%02d", t);
    }

    /** Trimmed, separators removed, a 9-digit CAE padded to 11; null stays null. */
    public static String normalise(String raw) {
        if (raw == null) {
            return null;
        }
        String s = raw.trim().replaceAll("[\\s.\\-]", "");
        return s.matches("\\d{9}") ? "00" + s : s;
    }

    @Override
    public String toString() {
        return value;
    }
}
