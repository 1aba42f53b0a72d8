package io.spinledger.engine.audio;

/** Audio could not be decoded: empty input, not audio, or corrupt beyond recovery. */
public class AudioDecodingException extends RuntimeException {

    /** @param message what failed and on which input */
    public AudioDecodingException(String message) {
        super(message);
    }

    /** @param message what failed and on which input; @param cause the underlying error */
    public AudioDecodingException(String message, Throwable cause) {
        super(message, cause);
    }
}
