package io.spinledger.ports;

/** A conditional write found the stored item not matching its condition; nothing was written. */
public class ConditionFailedException extends RuntimeException {
    /** @param message what failed */
    public ConditionFailedException(String message) {
        super(message);
    }
}
