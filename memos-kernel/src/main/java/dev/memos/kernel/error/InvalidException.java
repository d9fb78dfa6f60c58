package dev.memos.kernel.error;

/** The caller sent a value that breaks a rule; {@link #field()} names it when one field is to blame. */
public final class InvalidException extends MemosException {
    private final String field;

    public InvalidException(String field, String message) {
        super(field == null ? message : field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }

    @Override
    public String code() {
        return "invalid";
    }
}
