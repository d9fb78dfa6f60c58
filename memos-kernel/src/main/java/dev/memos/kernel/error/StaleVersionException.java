package dev.memos.kernel.error;

/** Optimistic concurrency failed: the caller's expected version is not the live one. */
public final class StaleVersionException extends ConflictException {
    private final int expected;
    private final int actual;

    public StaleVersionException(int expected, int actual) {
        super("expected version " + expected + " but the live version is " + actual);
        this.expected = expected;
        this.actual = actual;
    }

    public int expected() {
        return expected;
    }

    /** The live version when the conflict was seen; {@code -1} if unknown (a concurrent writer won). */
    public int actual() {
        return actual;
    }

    @Override
    public String code() {
        return "stale-version";
    }
}
