package dev.memos.kernel.lineage;

/**
 * How two cube versions are linked. Each edge points from the version that was made to what it was
 * made from ({@link #VERSION_OF}, {@link #DERIVED_FROM}), or from a source to what became of it
 * ({@link #MERGED_INTO}, {@link #MIGRATED_TO}).
 */
public enum EdgeType {
    /** {@code (cube, n+1) → (cube, n)}. */
    VERSION_OF(true),
    /** A derived cube's first version → each source version it names. */
    DERIVED_FROM(true),
    /** A fused source's last version → the new cube. */
    MERGED_INTO(false),
    /** A source version → the cube a tier migration made from it. */
    MIGRATED_TO(false),
    /** A new fact's version → the version it contradicted (which was invalidated for it). */
    CONTRADICTS(true);

    private final boolean pointsToOrigin;

    EdgeType(boolean pointsToOrigin) {
        this.pointsToOrigin = pointsToOrigin;
    }

    /** True when the edge runs from the newer version to its origin, so ancestors are reached forwards. */
    public boolean pointsToOrigin() {
        return pointsToOrigin;
    }
}
