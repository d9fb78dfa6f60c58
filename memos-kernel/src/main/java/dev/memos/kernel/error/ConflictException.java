package dev.memos.kernel.error;

/** The request is well formed but clashes with the current state (illegal transition, duplicate name …). */
public sealed class ConflictException extends MemosException permits StaleVersionException, LostRaceException {
    public ConflictException(String message) {
        super(message);
    }

    public ConflictException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String code() {
        return "conflict";
    }
}
