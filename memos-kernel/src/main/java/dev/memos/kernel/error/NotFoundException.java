package dev.memos.kernel.error;

/** The thing does not exist, or the caller may not know that it exists. */
public final class NotFoundException extends MemosException {
    public NotFoundException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "not-found";
    }
}
