package io.spinledger.functions.httpapi;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.fileupload2.core.MultipartInput;

/** Parses {@code multipart/form-data} bodies (RFC 7578) with Apache Commons FileUpload's stream parser. */
public final class Multipart {
    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?", Pattern.CASE_INSENSITIVE);
    private static final Pattern NAME = Pattern.compile("\\bname=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);
    private static final Pattern FILENAME = Pattern.compile("\\bfilename=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);

    /**
     * One part.
     *
     * @param name        form field name
     * @param filename    file name, or null for a plain field
     * @param contentType part content type, or null
     * @param bytes       part content
     */
    public record Part(String name, String filename, String contentType, byte[] bytes) {
        /** The content as UTF-8 text. */
        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private Multipart() {
    }

    /**
     * Parses a multipart body into its parts by field name (the first part of each name wins).
     *
     * @throws ApiException 400 when the request is not multipart/form-data or the body is malformed
     */
    public static Map<String, Part> parse(ApiRequest request) {
        String ct = request.contentType();
        if (!ct.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw ApiException.badRequest("expected a multipart/form-data body, got content type '" + ct + "'");
        }
        Matcher m = BOUNDARY.matcher(ct);
        if (!m.find()) {
            throw ApiException.badRequest("multipart/form-data without a boundary");
        }
        Map<String, Part> parts = new LinkedHashMap<>();
        try {
            MultipartInput in = MultipartInput.builder().setInputStream(new ByteArrayInputStream(request.body()))
                    .setBoundary(m.group(1).getBytes(StandardCharsets.ISO_8859_1)).get();
            boolean next = in.skipPreamble();
            while (next) {
                String headers = in.readHeaders();
                ByteArrayOutputStream content = new ByteArrayOutputStream();
                in.readBodyData(content);
                String name = find(NAME, headers);
                if (name != null) {
                    parts.putIfAbsent(name, new Part(name, find(FILENAME, headers), header(headers, "content-type"),
                            content.toByteArray()));
                }
                next = in.readBoundary();
            }
        } catch (IOException | RuntimeException e) {
            throw ApiException.badRequest("malformed multipart body: " + e.getMessage());
        }
        return parts;
    }

    private static String find(Pattern p, String headers) {
        Matcher m = p.matcher(headers);
        return m.find() ? m.group(1) : null;
    }

    private static String header(String headers, String name) {
        for (String line : headers.split("\r\n")) {
            int i = line.indexOf(':');
            if (i > 0 && line.substring(0, i).trim().equalsIgnoreCase(name)) {
                return line.substring(i + 1).trim();
            }
        }
        return null;
    }
}
