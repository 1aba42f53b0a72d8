/**
 * The capture stage (functions captureScheduler and chunkIngest). Entry points:
 * {@link io.spinledger.stage.capture.CaptureScheduling} (scheduled: which stations need a capture segment now, by the
 * leases of the {@link io.spinledger.stage.capture.CaptureScheduler}) and
 * {@link io.spinledger.stage.capture.ChunkIngestStage} (a capture request in: the
 * {@link io.spinledger.stage.capture.ChunkIngestService} records a live segment or decodes an air-check, cuts it into
 * overlapping, UTC-stamped chunks, stores and announces them).
 *
 * <p>Data flow of a live capture: {@link io.spinledger.stage.capture.StreamCapture} (network, decode, reconnects,
 * health) feeds {@link io.spinledger.stage.capture.Chunker} (pure windowing by sample count), which hands each
 * {@link io.spinledger.stage.capture.ChunkAudio} to the caller's sink. Health goes to a
 * {@link io.spinledger.stage.capture.CaptureListener}; the run's totals come back as a
 * {@link io.spinledger.stage.capture.CaptureResult}.
 */
package io.spinledger.stage.capture;
