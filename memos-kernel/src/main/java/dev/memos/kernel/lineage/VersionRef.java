package dev.memos.kernel.lineage;

import dev.memos.kernel.model.CubeId;

import java.util.Objects;

/** One version of one cube: a node of the lineage graph. */
public record VersionRef(CubeId cube, int version) implements Comparable<VersionRef> {
    public VersionRef {
        Objects.requireNonNull(cube, "cube");
        if (version < 1) {
            throw new IllegalArgumentException("versions start at 1, got " + version);
        }
    }

    /** The node's key in a store: {@code <cube id>@<version>}. */
    public String key() {
        return cube + "@" + version;
    }

    public static VersionRef parse(String key) {
        int at = key.lastIndexOf('@');
        if (at < 0) {
            throw new IllegalArgumentException("not a version key: " + key);
        }
        return new VersionRef(CubeId.parse(key.substring(0, at)), Integer.parseInt(key.substring(at + 1)));
    }

    @Override
    public int compareTo(VersionRef other) {
        int byCube = cube.compareTo(other.cube);
        return byCube != 0 ? byCube : Integer.compare(version, other.version);
    }

    @Override
    public String toString() {
        return key();
    }
}
