package io.spinledger.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * One audited state change of a play's money: who did what, when and why. Written in the same DynamoDB
 * transaction as the change itself, so there is never a change without its record (or a record without its
 * change).
 *
 * @param eventId         stable id derived from action, play, instant and transaction keys
 * @param playId          the play concerned
 * @param action          what happened: POSTED, REVERSED, RERATED, DISPUTE_OPENED, DISPUTE_RELEASED,
 *                        DISPUTE_REVERSED
 * @param actor           who: a user name from the API, or {@code system:<function>}
 * @param at              when (UTC)
 * @param reason          why, as given
 * @param transactionKeys idempotency keys of the ledger transactions written with it
 * @param disputeId       the dispute concerned, or null
 */
public record AuditEvent(String eventId, String playId, String action, String actor, Instant at, String reason,
                         List<String> transactionKeys, String disputeId) {
    public AuditEvent {
        transactionKeys = transactionKeys == null ? List.of() : List.copyOf(transactionKeys);
    }

    /** An event with its id derived from the other fields. */
    public static AuditEvent of(String playId, String action, String actor, Instant at, String reason,
                                List<String> transactionKeys, String disputeId) {
        String basis = action + "|" + playId + "|" + at + "|" + transactionKeys + "|" + disputeId;
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(basis.getBytes(StandardCharsets.UTF_8));
            return new AuditEvent("a-" + HexFormat.of().formatHex(h).substring(0, 16), playId, action,
                    actor == null || actor.isBlank() ? "unknown" : actor, at, reason, transactionKeys, disputeId);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing", e);
        }
    }
}
