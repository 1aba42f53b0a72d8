package io.spinledger.report;

import java.util.List;

/** RFC 4180 CSV: cells with a comma, quote or line break are quoted, quotes doubled; rows end with CRLF. */
public final class Csv {
    private Csv() {
    }

    /** Appends one row (nulls as empty cells) and CRLF. */
    public static void row(StringBuilder sb, List<?> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            Object v = cells.get(i);
            String s = v == null ? "" : v.toString();
            if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
                s = "\"" + s.replace("\"", "\"\"") + "\"";
            }
            sb.append(s);
        }
        sb.append("\r\n");
    }

    /** A header row and data rows as one CSV text. */
    public static String of(List<String> header, List<? extends List<?>> rows) {
        StringBuilder sb = new StringBuilder();
        row(sb, header);
        rows.forEach(r -> row(sb, r));
        return sb.toString();
    }
}
