package dev.memos.kernel.error;

/** The caller is known and may see the target, but lacks the grant the operation needs. */
public final class ForbiddenException extends MemosException {
    public ForbiddenException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "forbidden";
    }
}
