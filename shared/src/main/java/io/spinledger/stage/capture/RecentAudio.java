package io.spinledger.stage.capture;

import io.spinledger.engine.audio.Pcm;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The audio of the chunks a capture worker cut last, by object key, so matching at the edge (in the worker that
 * cut them) reads a chunk and its neighbours from memory instead of fetching what it just stored. Bounded: the
 * oldest entries go first ({@code capacity} chunks in all; about 220 KB of samples each at the defaults).
 * A miss is never an error: the caller reads the stored object. Thread-safe.
 */
public final class RecentAudio {
    private final Map<String, Pcm> byKey;

    /** @param capacity chunks kept (e.g. three per held stream) */
    public RecentAudio(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        this.byKey = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Pcm> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Keeps a chunk's audio under its object key. */
    public synchronized void put(String objectKey, Pcm audio) {
        byKey.put(objectKey, audio);
    }

    /** The audio stored under {@code objectKey}, if it is still kept. */
    public synchronized Optional<Pcm> get(String objectKey) {
        return Optional.ofNullable(byKey.get(objectKey));
    }
}
