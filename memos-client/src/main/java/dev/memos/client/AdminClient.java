package dev.memos.client;

import dev.memos.client.model.Admin;

import java.time.Duration;

/** The search index and the lineage graph (administrators). These take long on large stores. */
public final class AdminClient {
    private static final Duration LONG = Duration.ofHours(2);
    private final Transport transport;

    AdminClient(Transport transport) {
        this.transport = transport;
    }

    /** Rebuilds the search index from the database. */
    public Admin.Rebuilt rebuildIndex() {
        return transport.call(Transport.Call.post("/v1/admin/index/rebuild", null).timeout(LONG),
                Admin.Rebuilt.class);
    }

    /** Compares the index with the database. */
    public Admin.IndexCheck checkIndex() {
        return transport.call(Transport.Call.get("/v1/admin/index/check").timeout(LONG), Admin.IndexCheck.class);
    }

    /** Merges the index into at most {@code segments} segments (null: 1). */
    public Admin.Optimized optimizeIndex(Integer segments) {
        return transport.call(Transport.Call.post("/v1/admin/index/optimize"
                + Transport.query(Transport.params("segments", segments)), null).retrying().timeout(LONG), Admin.Optimized.class);
    }

    /** The cubes the indexer set aside, oldest first (null limit: 100). */
    public Admin.SetAside setAside(Integer limit) {
        return transport.call(Transport.Call.get("/v1/admin/index/set-aside"
                + Transport.query(Transport.params("limit", limit))), Admin.SetAside.class);
    }

    /** Indexes the cubes set aside again; those refused again stay set aside. */
    public Admin.SetAsideRetried retrySetAside() {
        return transport.call(Transport.Call.post("/v1/admin/index/set-aside/retry", null).retrying().timeout(LONG),
                Admin.SetAsideRetried.class);
    }

    /** Replays the event log into the lineage graph. */
    public Admin.LineageRebuilt rebuildLineage() {
        return transport.call(Transport.Call.post("/v1/admin/lineage/rebuild", null).timeout(LONG),
                Admin.LineageRebuilt.class);
    }
}
