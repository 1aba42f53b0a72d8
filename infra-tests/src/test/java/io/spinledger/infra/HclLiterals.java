package io.spinledger.infra;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the literal subset of HCL2 that {@code infra/terraform/catalogue.tf} is limited to: blocks
 * ({@code locals { ... }}), attributes {@code name = value}, strings without interpolation, numbers, booleans,
 * lists and objects; {@code #} and {@code //} comments. Anything else (references, functions, interpolation,
 * heredocs) is rejected with its line, which keeps that file pure data.
 */
final class HclLiterals {
    private final String src;
    private int pos;

    private HclLiterals(String src) {
        this.src = src;
    }

    /**
     * Parses a file body: top-level blocks by type (each a list of bodies) and attributes.
     *
     * @throws IllegalArgumentException naming the line of anything outside the literal subset
     */
    static Map<String, Object> parse(String text) {
        HclLiterals p = new HclLiterals(text);
        Map<String, Object> out = new LinkedHashMap<>();
        p.skip();
        while (p.pos < p.src.length()) {
            String name = p.ident();
            p.skip();
            if (p.peek() == '{') {
                @SuppressWarnings("unchecked")
                List<Object> blocks = (List<Object>) out.computeIfAbsent(name, k -> new ArrayList<>());
                blocks.add(p.object());
            } else {
                p.expect('=');
                out.put(name, p.value());
            }
            p.skip();
        }
        return out;
    }

    private Object value() {
        skip();
        char c = peek();
        if (c == '"') {
            return string();
        }
        if (c == '{') {
            return object();
        }
        if (c == '[') {
            pos++;
            List<Object> list = new ArrayList<>();
            skip();
            while (peek() != ']') {
                list.add(value());
                skip();
                if (peek() == ',') {
                    pos++;
                    skip();
                }
            }
            pos++;
            return list;
        }
        if (c == '-' || Character.isDigit(c)) {
            int start = pos++;
            while (pos < src.length() && (Character.isDigit(src.charAt(pos)) || src.charAt(pos) == '.')) {
                pos++;
            }
            String n = src.substring(start, pos);
            return n.contains(".") ? (Object) Double.valueOf(n) : (Object) Long.valueOf(n);
        }
        String word = ident();
        return switch (word) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw error("not a literal: " + word);
        };
    }

    private Map<String, Object> object() {
        expect('{');
        Map<String, Object> map = new LinkedHashMap<>();
        skip();
        while (peek() != '}') {
            String key = peek() == '"' ? string() : ident();
            skip();
            expect('=');
            map.put(key, value());
            skip();
            if (peek() == ',') {
                pos++;
                skip();
            }
        }
        pos++;
        return map;
    }

    private String string() {
        expect('"');
        StringBuilder sb = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return sb.toString();
            }
            if (c == '\\') {
                char e = next();
                sb.append(switch (e) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    default -> e;
                });
            } else if ((c == '$' || c == '%') && peek() == '{') {
                throw error("interpolation is not allowed in this file");
            } else {
                sb.append(c);
            }
        }
    }

    private String ident() {
        int start = pos;
        while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_'
                || src.charAt(pos) == '-')) {
            pos++;
        }
        if (start == pos) {
            throw error("expected a name, found '" + peek() + "'");
        }
        return src.substring(start, pos);
    }

    private void skip() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (Character.isWhitespace(c)) {
                pos++;
            } else if (c == '#' || (c == '/' && pos + 1 < src.length() && src.charAt(pos + 1) == '/')) {
                while (pos < src.length() && src.charAt(pos) != '\n') {
                    pos++;
                }
            } else {
                return;
            }
        }
    }

    private void expect(char c) {
        skip();
        if (peek() != c) {
            throw error("expected '" + c + "', found '" + peek() + "'");
        }
        pos++;
    }

    private char peek() {
        if (pos >= src.length()) {
            throw error("unexpected end of file");
        }
        return src.charAt(pos);
    }

    private char next() {
        char c = peek();
        pos++;
        return c;
    }

    private IllegalArgumentException error(String message) {
        int line = 1;
        for (int i = 0; i < Math.min(pos, src.length()); i++) {
            if (src.charAt(i) == '\n') {
                line++;
            }
        }
        return new IllegalArgumentException("line " + line + ": " + message);
    }
}
