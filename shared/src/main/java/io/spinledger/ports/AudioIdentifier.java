package io.spinledger.ports;

import io.spinledger.external.acrcloud.AcrResult;

/**
 * The port to an external audio identification service (ACRCloud): the fallback stage sees only this. The
 * guarded HTTP client implements it in production; the simulator and tests provide their own.
 */
public interface AudioIdentifier {
    /** Whether the service can be called (credentials configured and accepted). */
    boolean active();

    /**
     * Identifies a WAV clip.
     *
     * @throws io.spinledger.external.TransientExternalException on timeouts, throttling or an open circuit
     * @throws io.spinledger.external.ExternalServiceException   on an unexpected status or unreadable body
     */
    AcrResult identifyWav(byte[] wav);
}
