/**
 * Live stream capture: open a station's HTTP/Icecast stream, decode it to mono PCM, and cut it into
 * overlapping, UTC-stamped chunks ({@link io.spinledger.capture.ChunkAudio}).
 *
 * <p>Data flow: {@link io.spinledger.capture.StreamCapture} (network, FFmpeg decode, reconnects, health)
 * feeds {@link io.spinledger.capture.Chunker} (pure windowing by sample count), which hands each
 * {@link io.spinledger.capture.ChunkAudio} to the caller's sink. Health goes to a
 * {@link io.spinledger.capture.CaptureListener}; the run's totals come back as a
 * {@link io.spinledger.capture.CaptureResult}. No Spring or AWS types here.
 */
package io.spinledger.capture;
