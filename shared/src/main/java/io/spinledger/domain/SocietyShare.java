package io.spinledger.domain;

import java.math.BigDecimal;

/**
 * The part of a work's performing right that one society collects.
 *
 * @param societyCode  CISAC society code, 3 digits (e.g. "010" ASCAP); "000" = undetermined, held in suspense
 * @param societyName  short name (e.g. "ASCAP")
 * @param sharePercent share in percent; all shares of one mapping add up to 100
 * @param party        the writer/publisher this share is for, or null when inferred from territory
 * @param role         writer role, or "territory" when inferred
 * @param basis        how it was decided: DECLARED (writer's declared society, identified by IPI or name),
 *                     MUSICBRAINZ (the work's writer relations and society work ids), TERRITORY (ISRC country),
 *                     REFUSED (a declaration failed validation: held in suspense), see
 *                     {@code io.spinledger.stage.rights.ProMapper}
 * @param confidence   how far the share can be trusted, 0 (not at all: suspense) to 1 (declared by valid IPI
 *                     with shares adding up to 100)
 */
public record SocietyShare(String societyCode, String societyName, BigDecimal sharePercent, String party, String role,
                           String basis, double confidence) {
}
