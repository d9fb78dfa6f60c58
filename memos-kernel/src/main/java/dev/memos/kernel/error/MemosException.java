package dev.memos.kernel.error;

/**
 * Root of the kernel's exception hierarchy. Each subtype stands for one kind of failure the API
 * maps to one HTTP status and one stable problem type; {@link #code()} names it.
 */
public abstract sealed class MemosException extends RuntimeException
        permits NotFoundException, ConflictException, InvalidException, ForbiddenException,
                UnauthenticatedException, UnavailableException, NotConfiguredException {

    protected MemosException(String message) {
        super(message, null, false, false);
    }

    protected MemosException(String message, Throwable cause) {
        super(message, cause, false, false);
    }

    /** A stable, lower-case identifier of the failure kind, e.g. {@code not-found}. */
    public abstract String code();
}
