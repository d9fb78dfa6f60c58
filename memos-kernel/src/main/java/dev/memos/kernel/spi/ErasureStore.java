package dev.memos.kernel.spi;

import dev.memos.kernel.erasure.Erasure;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Erasure requests and their reports, and the checks only the database can make. Callers run these inside
 * {@link Transactions#inTransaction}; a request is inserted in the transaction that erases.
 */
public interface ErasureStore {
    void insert(Erasure erasure);

    Optional<Erasure> find(UUID id);

    /** Requests still {@link Erasure.Status#PENDING}, oldest first. */
    List<Erasure> pending(int limit);

    /** Stores the outcome and the checks of a request. */
    void complete(Erasure done);

    /** The newest requests about a space (or every space when null), newest first. */
    List<Erasure> list(String space, int limit);

    /**
     * What the database still holds of an erasure's cubes (or of its space), one line per kind of leftover,
     * e.g. {@code "2 versions still hold content"}: empty when nothing is left. Checked by querying every table
     * that can hold it, not assumed from the erasing transaction.
     */
    List<String> residue(Erasure erasure);

    /**
     * Those of {@code fragments} that a stored text that was not erased contains: finding one of them in a file
     * does not show that an erased text is left.
     */
    java.util.Set<String> heldElsewhere(java.util.Collection<String> fragments);

    /**
     * Makes the database's own files give up the space freed by erasures, so that erased bytes leave them
     * (H2: the file is compacted and its free space overwritten; PostgreSQL: the tables that held content are
     * rewritten), and says what it did.
     */
    String reclaim();
}
