package io.spinledger.domain;

import java.util.List;

/**
 * Which societies collect for a recording's work, with shares.
 *
 * @param shares   society shares adding up to 100 percent
 * @param inferred true when no declared affiliation was known and the ISRC's country decided
 */
public record ProMapping(List<SocietyShare> shares, boolean inferred) {
    public ProMapping {
        shares = shares == null ? List.of() : List.copyOf(shares);
    }
}
