package io.spinledger.ports;

import java.util.List;
import java.util.Optional;

/**
 * Object storage (S3 or S3-compatible) for chunks, air-checks, reference audio and index segments.
 * Two implementations: {@code io.spinledger.aws.S3ObjectStore} and {@link InMemoryObjectStore} (unit tests).
 */
public interface ObjectStore {
    /** Stores bytes under a key, replacing any previous object. */
    void put(String key, byte[] bytes, String contentType);

    /** Reads an object; empty when the key does not exist. */
    Optional<byte[]> get(String key);

    /** Lists keys under a prefix, in lexicographic order. */
    List<String> list(String prefix);

    /** Deletes an object; a missing key is not an error. */
    void delete(String key);
}
