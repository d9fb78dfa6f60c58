package dev.memos.kernel.testing;

import dev.memos.kernel.event.KernelEvent;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.spi.CubeStore;
import dev.memos.kernel.spi.DirectoryStore;
import dev.memos.kernel.spi.Outbox;
import dev.memos.kernel.spi.PolicyQueries;
import dev.memos.kernel.spi.Transactions;
import dev.memos.kernel.spi.UsageStore;

import java.util.List;

/** The stores a contract suite runs against, plus a way to look into the outbox. */
public interface Backend {
    CubeStore cubes();

    DirectoryStore directory();

    Outbox outbox();

    Transactions transactions();

    PolicyQueries policies();

    UsageStore usage();

    /** Committed outbox events about one cube, oldest first. */
    List<KernelEvent> eventsFor(CubeId id);
}
