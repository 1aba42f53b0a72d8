package io.spinledger.ports;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** An {@link ObjectStore} in memory, for unit tests. Thread-safe. */
public final class InMemoryObjectStore implements ObjectStore {
    private final ConcurrentSkipListMap<String, byte[]> objects = new ConcurrentSkipListMap<>();

    @Override
    public void put(String key, byte[] bytes, String contentType) {
        objects.put(key, bytes.clone());
    }

    @Override
    public Optional<byte[]> get(String key) {
        return Optional.ofNullable(objects.get(key)).map(byte[]::clone);
    }

    @Override
    public List<String> list(String prefix) {
        return objects.tailMap(prefix, true).keySet().stream().takeWhile(k -> k.startsWith(prefix)).toList();
    }

    @Override
    public void delete(String key) {
        objects.remove(key);
    }
}
