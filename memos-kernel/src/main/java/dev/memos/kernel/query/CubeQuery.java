package dev.memos.kernel.query;

import dev.memos.kernel.model.Check;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.Limits;
import dev.memos.kernel.model.LifecycleState;

import java.time.Instant;

/**
 * Filters and paging for listing a space's cubes. Null filters match everything.
 *
 * @param state only cubes in this state; null lists every state but DELETED
 * @param kind only plaintext cubes of this kind
 * @param tag only cubes carrying this tag
 * @param validAt only cubes whose fact holds at this instant
 * @param after the cursor: the last id of the previous page
 * @param limit page size, 1 … {@link Limits#MAX_PAGE}
 * @param asOf recorded time: list each cube as the version memos held as current then (cubes not yet written are
 *             absent); kind, tag and validAt then apply to that version. The state is the cube's state now. Null:
 *             the live versions
 */
public record CubeQuery(LifecycleState state, String kind, String tag, Instant validAt, CubeId after, int limit,
                        Instant asOf) {
    public CubeQuery {
        Check.optionalLabel("kind", kind);
        Check.optionalLabel("tag", tag);
        Check.range("limit", limit, 1, Limits.MAX_PAGE);
    }

    /** The live versions. */
    public CubeQuery(LifecycleState state, String kind, String tag, Instant validAt, CubeId after, int limit) {
        this(state, kind, tag, validAt, after, limit, null);
    }

    public static CubeQuery firstPage() {
        return new CubeQuery(null, null, null, null, null, Limits.DEFAULT_PAGE);
    }
}
