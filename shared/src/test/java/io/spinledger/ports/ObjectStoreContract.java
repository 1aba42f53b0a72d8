package io.spinledger.ports;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinledger.config.BucketName;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ObjectStore} shares, as S3 defines it: put/get, overwrite, delete (a missing key is
 * fine) and listing by prefix in lexicographic order across S3's 1,000-key pages. Subclasses supply an empty
 * store per test; the S3 subclass runs it on S3Proxy, which is the reference when the two disagree.
 */
public abstract class ObjectStoreContract {
    /** A store holding no objects at the start of each test. */
    protected abstract ObjectStore store();

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void getOfAMissingKeyIsEmpty() {
        assertThat(store().get("nothing/here")).isEmpty();
    }

    @Test
    void putThenGetRoundTripsBinaryAndEmptyObjects() {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        String chunk = BucketName.chunkKey("st-1", Instant.parse("2026-01-02T03:04:05.250Z"), "c1");
        store().put(chunk, all, "audio/wav");
        store().put("empty", new byte[0], "application/octet-stream");
        assertThat(store().get(chunk)).hasValueSatisfying(b -> assertThat(b).containsExactly(all));
        assertThat(store().get("empty")).hasValueSatisfying(b -> assertThat(b).isEmpty());
    }

    @Test
    void putOverwrites() {
        store().put("k", bytes("first, longer"), "text/plain");
        store().put("k", bytes("second"), "text/plain");
        assertThat(store().get("k")).hasValueSatisfying(b -> assertThat(b).isEqualTo(bytes("second")));
        assertThat(store().list("k")).containsExactly("k");
    }

    @Test
    void storedBytesAreACopy() {
        byte[] in = bytes("abc");
        store().put("k", in, "text/plain");
        in[0] = 'X';
        byte[] out = store().get("k").orElseThrow();
        out[1] = 'Y';
        assertThat(store().get("k")).hasValueSatisfying(b -> assertThat(b).isEqualTo(bytes("abc")));
    }

    @Test
    void listReturnsKeysUnderAPrefixInLexicographicOrder() {
        for (String k : List.of("a/2", "b/1", "a/10", "a.txt", "ab/1", "a/1", "a/x/y", "A/1")) {
            store().put(k, bytes(k), "text/plain");
        }
        assertThat(store().list("a/")).containsExactly("a/1", "a/10", "a/2", "a/x/y");
        assertThat(store().list("a")).containsExactly("a.txt", "a/1", "a/10", "a/2", "a/x/y", "ab/1");
        assertThat(store().list("")).containsExactly("A/1", "a.txt", "a/1", "a/10", "a/2", "a/x/y", "ab/1", "b/1");
        assertThat(store().list("a/1")).containsExactly("a/1", "a/10");
        assertThat(store().list("c")).isEmpty();
    }

    @Test
    void deleteRemovesAndAMissingKeyIsFine() {
        store().put("d/1", bytes("1"), "text/plain");
        store().put("d/2", bytes("2"), "text/plain");
        store().delete("d/1");
        store().delete("d/1");
        store().delete("never/there");
        assertThat(store().get("d/1")).isEmpty();
        assertThat(store().list("d/")).containsExactly("d/2");
    }

    @Test
    void listFollowsPagesPastAThousandKeys() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 1005; i++) {
            keys.add("many/" + Integer.toString(i, 36));
        }
        for (String k : keys) {
            store().put(k, new byte[] {1}, "application/octet-stream");
        }
        store().put("more/x", new byte[] {1}, "application/octet-stream");
        assertThat(store().list("many/")).containsExactlyElementsOf(keys.stream().sorted().toList());
    }
}
