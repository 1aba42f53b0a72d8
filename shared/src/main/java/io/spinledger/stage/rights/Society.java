package io.spinledger.stage.rights;

import java.util.List;

/**
 * A performing-rights society.
 *
 * @param code      CISAC society code, 3 digits zero-padded as in CWR (e.g. "010" ASCAP)
 * @param name      short name (e.g. "ASCAP")
 * @param fullName  full name
 * @param country   ISO 3166-1 alpha-2 country, or empty for the {@link #UNMAPPED} placeholder
 * @param aliases   other names it is declared under (e.g. "PRS for Music")
 * @param confirmed true when both public code tables agree (reference/external-apis.md section 6)
 * @param note      why it is unconfirmed, or another caveat; may be empty
 */
public record Society(String code, String name, String fullName, String country, List<String> aliases,
                      boolean confirmed, String note) {
    /** Where money goes when no society can be determined: to suspense, never lost. */
    public static final Society UNMAPPED = new Society("000", "UNMAPPED", "No society determined (suspense)", "",
            List.of(), true, "placeholder, not a CISAC society");

    public Society {
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        note = note == null ? "" : note;
    }
}
