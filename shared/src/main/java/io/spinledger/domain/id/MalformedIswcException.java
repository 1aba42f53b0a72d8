package io.spinledger.domain.id;

/** Thrown when a string is not an ISWC (wrong shape or wrong check digit); the message says which. */
public class MalformedIswcException extends IllegalArgumentException {
    /** Creates the exception. */
    public MalformedIswcException(String message) {
        super(message);
    }
}
