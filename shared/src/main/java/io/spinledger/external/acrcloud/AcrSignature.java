package io.spinledger.external.acrcloud;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The request signature of ACRCloud's identify protocol v1: Base64 (standard, padded) of
 * HMAC-SHA1(key = access secret, message = string to sign), where the string to sign is
 * {@code POST\n/v1/identify\n<access_key>\n<data_type>\n1\n<timestamp>} without a trailing newline.
 * Source: reference/external-apis.md section 1 (ACRCloud webapi_example, docs.acrcloud.com).
 */
public final class AcrSignature {
    /** HTTP method that is signed. */
    public static final String METHOD = "POST";
    /** Request path that is signed. */
    public static final String URI = "/v1/identify";
    /** Signature version sent and signed. */
    public static final String VERSION = "1";

    private AcrSignature() {
    }

    /** The six signed fields joined by LF, e.g. {@code POST\n/v1/identify\nkey\naudio\n1\n1700000000}. */
    public static String stringToSign(String accessKey, String dataType, String timestamp) {
        return String.join("\n", METHOD, URI, accessKey, dataType, VERSION, timestamp);
    }

    /**
     * Signs a request.
     *
     * @param accessKey    project access key
     * @param accessSecret project access secret (the HMAC key)
     * @param dataType     {@code audio} or {@code fingerprint}
     * @param timestamp    the exact {@code timestamp} form field (seconds since the epoch, as sent)
     * @return Base64 HMAC-SHA1 signature, e.g. {@code d9SrXTXWNeH1N0Axic0hvCXJlms=}
     */
    public static String sign(String accessKey, String accessSecret, String dataType, String timestamp) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(accessSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            byte[] digest = mac.doFinal(stringToSign(accessKey, dataType, timestamp).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA1 unavailable", e);
        }
    }
}
