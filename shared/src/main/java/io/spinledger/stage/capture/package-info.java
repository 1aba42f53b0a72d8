/**
 * The capture stage: the fan-in capture workers, the watchdog (function captureScheduler) and chunkIngest. Entry
 * points: {@link io.spinledger.stage.capture.CaptureWorker} (a long-running worker that holds many stations'
 * streams, by assignment and heartbeat, each through {@link io.spinledger.stage.capture.LiveStreams}),
 * {@link io.spinledger.stage.capture.CaptureWatchdog} (scheduled: stations no worker holds are reported) and
 * {@link io.spinledger.stage.capture.ChunkIngestStage} (a capture request in: the
 * {@link io.spinledger.stage.capture.ChunkIngestService} decodes an uploaded air-check, cuts it into
 * overlapping, UTC-stamped chunks, stores and announces them; a worker's streams are cut the same way).
 *
 * <p>Data flow of a live capture: {@link io.spinledger.stage.capture.StreamCapture} (network, decode, reconnects,
 * health) feeds {@link io.spinledger.stage.capture.Chunker} (pure windowing by sample count), which hands each
 * {@link io.spinledger.stage.capture.ChunkAudio} to the caller's sink. Health goes to a
 * {@link io.spinledger.stage.capture.CaptureListener}; the run's totals come back as a
 * {@link io.spinledger.stage.capture.CaptureResult}.
 */
package io.spinledger.stage.capture;
