package dev.memos.scheduler.lineage;

import dev.memos.kernel.event.EventType;
import dev.memos.kernel.event.KernelEvent;
import dev.memos.kernel.lineage.LineageFacts;
import dev.memos.kernel.lineage.LineageGraph;
import dev.memos.kernel.spi.LineageStore;
import dev.memos.kernel.spi.Transactions;

import java.util.List;
import java.util.function.Consumer;

/**
 * Writes what committed events mean for lineage into the lineage store, a batch at a time. Idempotent:
 * the store adds only what it does not hold, so a redelivered batch changes nothing. A deleted space's nodes
 * and edges leave the graph with it.
 */
public final class LineageRecorder implements Consumer<List<KernelEvent>> {
    /** One group for every instance: the graph is shared (embedded: one process; Neo4j: one server). */
    public static final String GROUP = "lineage-recorder";

    private final LineageStore store;
    private final Transactions transactions;

    public LineageRecorder(LineageStore store, Transactions transactions) {
        this.store = store;
        this.transactions = transactions;
    }

    @Override
    public void accept(List<KernelEvent> events) {
        LineageGraph facts = LineageFacts.of(events);
        List<String> deletedSpaces = events.stream().filter(e -> e.type() == EventType.SPACE_DELETED)
                .map(KernelEvent::space).distinct().toList();
        if (!facts.isEmpty() || !deletedSpaces.isEmpty()) {
            transactions.inTransaction(() -> {
                store.add(facts);
                deletedSpaces.forEach(store::removeSpace); // after the batch's facts, which may name the space
                return null;
            });
        }
    }
}
