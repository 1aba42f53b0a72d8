package io.spinledger.stage.capture;

import java.time.Instant;

/**
 * Health events of one {@link StreamCapture#capture} run, so the caller can keep per-station stream health
 * (see {@code io.spinledger.domain.StreamHealth}). Called on the capturing thread; keep the work short.
 * Every method has an empty default. An exception thrown here ends the capture and propagates to its caller.
 */
public interface CaptureListener {

    /** No-op listener. */
    CaptureListener NONE = new CaptureListener() {
    };

    /**
     * The stream was opened and its audio format probed.
     *
     * @param url the stream URL
     * @param at  wall-clock instant (UTC) of the connection
     */
    default void onConnected(String url, Instant at) {
    }

    /**
     * Non-silent audio is arriving. Called at most about once per second.
     *
     * @param lastAudioAt wall-clock instant (UTC) the latest non-silent audio was decoded
     */
    default void onAudio(Instant lastAudioAt) {
    }

    /**
     * A chunk was entirely silent (RMS below the threshold); called in addition to {@link #onChunk}.
     *
     * @param chunk the silent chunk
     */
    default void onSilence(ChunkAudio chunk) {
    }

    /**
     * The connection failed or ended (connect refused, HTTP error, read timeout, end of stream, decode
     * error).
     *
     * @param message           what happened
     * @param consecutiveErrors failures in a row (reset once audio arrives)
     * @param nextAttemptAt     when the next reconnect is tried, or null when no attempt is left before the
     *                          deadline (or the capture was cancelled)
     */
    default void onError(String message, int consecutiveErrors, Instant nextAttemptAt) {
    }

    /**
     * A chunk was cut, just before it is handed to the sink.
     *
     * @param chunk the chunk
     */
    default void onChunk(ChunkAudio chunk) {
    }
}
