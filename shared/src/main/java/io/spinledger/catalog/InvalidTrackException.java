package io.spinledger.catalog;

/** A registration that cannot be accepted as given (missing title, bad share, ...). Nothing was stored. */
public final class InvalidTrackException extends RuntimeException {
    /** @param message what is wrong, for the caller */
    public InvalidTrackException(String message) {
        super(message);
    }
}
