package io.spinledger.functions.httpapi;

/** Thrown by handlers to answer with a 4xx and a reason; nothing has been changed when it is thrown. */
public final class ApiException extends RuntimeException {
    private final int status;

    /**
     * @param status  HTTP status (4xx)
     * @param message the reason, shown to the caller
     */
    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** 400 Bad Request. */
    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    /** 404 Not Found. */
    public static ApiException notFound(String message) {
        return new ApiException(404, message);
    }
}
