package io.spinledger.domain.id;

/** Thrown when a string is not an ISRC even after normalisation; the message quotes the input and the rule. */
public class MalformedIsrcException extends IllegalArgumentException {
    /** Creates the exception. */
    public MalformedIsrcException(String message) {
        super(message);
    }
}
