package io.spinledger.stage.capture;

/**
 * Summary of one {@link StreamCapture#capture} run.
 *
 * @param stationId    the station
 * @param url          the stream URL
 * @param chunks       chunks handed to the sink
 * @param samples      mono samples decoded (at {@code sampleRateHz})
 * @param sampleRateHz sample rate of the decoded audio
 * @param bytesRead    compressed bytes read from the network (as counted by FFmpeg)
 * @param connections  successful connections (1 = no reconnect was needed)
 * @param errors       connection failures and stream ends, in total
 * @param connectedMs  wall-clock time spent connected
 * @param cpuMs        CPU time used by the capturing thread, decoding included (-1 when the JVM cannot tell)
 * @param cancelled    true when {@link StreamCapture#cancel()} or an interrupt ended the run before the deadline
 * @param lastError    last error message, or null when none happened
 */
public record CaptureResult(String stationId, String url, int chunks, long samples, int sampleRateHz,
                            long bytesRead, int connections, int errors, long connectedMs, long cpuMs,
                            boolean cancelled, String lastError) {

    /** Decoded audio length in milliseconds. */
    public long audioMs() {
        return samples * 1000L / sampleRateHz;
    }
}
