package dev.memos.kernel.error;

/** A back end could not do the work now; the same request may succeed when retried. */
public final class UnavailableException extends MemosException {
    public UnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String code() {
        return "unavailable";
    }
}
