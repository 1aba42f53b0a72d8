package io.spinledger.domain;

import java.math.BigDecimal;

/**
 * The part of a work's performing right that one society collects.
 *
 * @param societyCode  CISAC society code, 3 digits (e.g. "010" ASCAP)
 * @param societyName  short name (e.g. "ASCAP")
 * @param sharePercent share in percent; all shares of one mapping add up to 100
 * @param party        the writer/publisher this share is for, or null when inferred from territory
 * @param role         writer role, or "territory" when inferred
 * @param basis        how it was decided: DECLARED (writer's declared society), TERRITORY (ISRC country)
 */
public record SocietyShare(String societyCode, String societyName, BigDecimal sharePercent, String party, String role,
                           String basis) {
}
