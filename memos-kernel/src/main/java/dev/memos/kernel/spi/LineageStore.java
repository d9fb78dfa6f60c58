package dev.memos.kernel.spi;

import dev.memos.kernel.event.KernelEvent;

/**
 * A derived, rebuildable graph of cube versions and the operations that link them (VERSION_OF,
 * DERIVED_FROM, MERGED_INTO, MIGRATED_TO). Fed from committed events; recording the same event
 * twice changes nothing. Implemented by the lineage issue.
 */
public interface LineageStore {
    void record(KernelEvent event);
}
