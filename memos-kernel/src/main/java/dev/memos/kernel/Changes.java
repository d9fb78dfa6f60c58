package dev.memos.kernel;

import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.LifecycleState;
import dev.memos.kernel.spi.CubeCache;
import dev.memos.kernel.spi.Transactions;

import java.util.Collection;
import java.util.Map;
import java.util.function.Supplier;

/** How the kernel's operations change cubes: in one transaction, then out of the working set (committed or not). */
record Changes(Transactions transactions, CubeCache workingSet) {

    <T> T changing(Collection<CubeId> ids, Supplier<T> change) {
        try {
            return transactions.inTransaction(change);
        } finally {
            workingSet.invalidate(ids);
        }
    }

    /** The data of a lifecycle move's event. */
    static Map<String, String> transitionData(LifecycleState from, LifecycleState to, String reason) {
        return reason == null ? Map.of("from", from.name(), "to", to.name())
                : Map.of("from", from.name(), "to", to.name(), "reason", reason);
    }
}
