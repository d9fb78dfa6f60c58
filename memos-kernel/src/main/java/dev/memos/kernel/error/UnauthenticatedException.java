package dev.memos.kernel.error;

/** No credentials, or credentials that match no principal. */
public final class UnauthenticatedException extends MemosException {
    public UnauthenticatedException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "unauthenticated";
    }
}
