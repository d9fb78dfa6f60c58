package dev.memos.kernel.error;

/**
 * A transaction lost a race with a concurrent one (the database chose it as a deadlock's victim, or a lock could
 * not be taken in time) and was rolled back whole: running the same work again may well succeed.
 */
public final class LostRaceException extends ConflictException {
    public LostRaceException(String message, Throwable cause) {
        super(message, cause);
    }
}
