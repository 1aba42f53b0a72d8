package io.spinledger.domain;

import java.math.BigDecimal;

/**
 * A writer or publisher of a work, as declared with a reference track (or found in a work's relations).
 *
 * @param name                   party name
 * @param ipi                    IPI name number (11 digits; a 9-digit CAE is read with two leading zeros), may be
 *                               null; the PRO mapper checks its check digits and refuses a declaration by a wrong one
 * @param society                declared performing-rights society (CISAC code such as "010" or name such as
 *                               "ASCAP"), may be null
 * @param role                   e.g. "composer", "lyricist", "composer/lyricist", "publisher"
 * @param sharePercent           performing-right share in percent (0-100), may be null when unknown
 * @param mechanicalSharePercent mechanical-right share in percent (0-100), may be null when not declared; when
 *                               any writer declares one, the mechanical shares must add up to 100 too
 */
public record Writer(String name, String ipi, String society, String role, BigDecimal sharePercent,
                     BigDecimal mechanicalSharePercent) {

    /** A writer with a performing-right share only (no mechanical declaration). */
    public Writer(String name, String ipi, String society, String role, BigDecimal sharePercent) {
        this(name, ipi, society, role, sharePercent, null);
    }
}
