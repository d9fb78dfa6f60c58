package dev.memos.kernel.testing;

import dev.memos.kernel.spi.Transactions;

import java.util.function.Supplier;

/** Runs work as it is, for contract tests of stores that need no surrounding transaction (in memory, Neo4j). */
public final class NoTransactions implements Transactions {
    public static final Transactions INSTANCE = new NoTransactions();

    private NoTransactions() {
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        return work.get();
    }
}
