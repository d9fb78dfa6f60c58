package dev.memos.kernel.model;

/**
 * The kernel operation that produced a cube version. {@link #INVALIDATE} makes the version that records that the
 * fact stopped holding (its {@code validTo}); the version before keeps what memos believed until then.
 */
public enum Operation {
    WRITE, UPDATE, ROLLBACK, EXTRACT, MERGE, MIGRATE, IMPORT, INVALIDATE;

    /** Whether a version made by this operation is an invalidation (the fact no longer holds). */
    public boolean invalidates() {
        return this == INVALIDATE;
    }
}
