package io.spinledger.functions.httpapi;

import io.spinledger.ledger.Statements;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * {@code GET /statements?party=&from=&to=}: a party's statement (an account id such as {@code society:285},
 * {@code station:joy-fm}, {@code label:...}) for {@code [from, to)} (ISO-8601 instants; default the last 30
 * days), derived from the ledger's postings. JSON by default; CSV lines with {@code Accept: text/csv}. Columns
 * are documented in {@code docs/statements-and-exports.md}.
 */
final class StatementsApi {
    private final Statements statements;

    StatementsApi(Statements statements) {
        this.statements = statements;
    }

    ApiResponse handle(ApiRequest req) {
        String party = req.query("party").orElseThrow(() ->
                ApiException.badRequest("party is required, e.g. party=society:285"));
        Instant to = req.query("to").map(v -> instant("to", v)).orElse(Instant.now());
        Instant from = req.query("from").map(v -> instant("from", v)).orElse(to.minusSeconds(30L * 86_400));
        if (!from.isBefore(to)) {
            throw ApiException.badRequest("from must be before to");
        }
        Statements.Statement st = statements.statement(party, from, to);
        if (req.header("accept").orElse("").contains("text/csv")) {
            return ApiResponse.text(200, "text/csv; charset=utf-8", Statements.csv(st));
        }
        return ApiResponse.json(200, st);
    }

    static Instant instant(String name, String v) {
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(name + " must be an ISO-8601 instant such as 2026-11-21T00:00:00Z, got " + v);
        }
    }
}
