package dev.memos.kernel.spi;

import dev.memos.kernel.model.CubeId;

import java.time.Instant;
import java.util.Map;

/** Usage statistics of cubes, written in batches off the read path by the usage recorder. */
public interface UsageStore {

    /**
     * Adds accesses to usage statistics: access count, last access, heat decayed along {@code heat}'s curve since
     * the previous access, and the time the cube starts to count as idle ({@link dev.memos.kernel.search.Heat#idleFrom},
     * which {@link PolicyQueries#findIdle} orders by). Unknown ids are ignored.
     */
    void recordUsage(Map<CubeId, Long> hits, Instant at, dev.memos.kernel.search.Heat heat);
}
