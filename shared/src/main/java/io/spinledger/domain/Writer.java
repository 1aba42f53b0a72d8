package io.spinledger.domain;

import java.math.BigDecimal;

/**
 * A writer or publisher of a work, as declared with a reference track.
 *
 * @param name         party name
 * @param ipi          IPI name number (11 digits), may be null
 * @param society      declared society (CISAC code such as "010" or name such as "ASCAP"), may be null
 * @param role         e.g. "composer", "lyricist", "composer/lyricist", "publisher"
 * @param sharePercent performing-right share in percent (0-100), may be null when unknown
 */
public record Writer(String name, String ipi, String society, String role, BigDecimal sharePercent) {
}
