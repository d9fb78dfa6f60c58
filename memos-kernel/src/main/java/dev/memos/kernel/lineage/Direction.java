package dev.memos.kernel.lineage;

/** Which way a lineage walk goes from a cube: to what it came from, to what came of it, or both. */
public enum Direction {
    ANCESTORS, DESCENDANTS, BOTH;

    public boolean ancestors() {
        return this != DESCENDANTS;
    }

    public boolean descendants() {
        return this != ANCESTORS;
    }
}
