package dev.memos.cubes.store.sql;

import dev.memos.kernel.error.ConflictException;
import dev.memos.kernel.error.LostRaceException;
import dev.memos.kernel.error.MemosException;
import dev.memos.kernel.error.UnavailableException;
import jakarta.persistence.LockTimeoutException;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PersistenceException;
import jakarta.persistence.PessimisticLockException;
import org.hibernate.exception.ConstraintViolationException;
import org.hibernate.exception.LockAcquisitionException;

import java.sql.SQLException;
import java.util.function.Supplier;

/** Translates database failures into kernel exceptions, so nothing JDBC-shaped reaches a caller. */
final class SqlErrors {
    private SqlErrors() {
    }

    static <T> T translate(String what, Supplier<T> work) {
        try {
            return work.get();
        } catch (MemosException e) {
            throw e;
        } catch (RuntimeException e) {
            throw translate(what, e);
        }
    }

    static RuntimeException translate(String what, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof MemosException memos) {
                return memos;
            }
            if (t instanceof ConstraintViolationException || isConstraintViolation(t)) {
                return new ConflictException(what + " clashes with existing data", failure);
            }
            if (t instanceof LockTimeoutException || t instanceof PessimisticLockException
                    || t instanceof OptimisticLockException || t instanceof LockAcquisitionException || isLostRace(t)) {
                return new LostRaceException(what + " lost a race with a concurrent change; retry", failure);
            }
        }
        if (failure instanceof PersistenceException || failure instanceof SQLException) {
            return new UnavailableException(what + " failed in the database", failure);
        }
        return failure instanceof RuntimeException runtime ? runtime : new UnavailableException(what + " failed", failure);
    }

    /**
     * SQLState 40001 (serialization failure), 40P01 (PostgreSQL: deadlock detected, this transaction the victim) and
     * 55P03 (PostgreSQL: lock not available), should a driver's exception reach here untranslated.
     */
    private static boolean isLostRace(Throwable t) {
        return t instanceof SQLException sql && sql.getSQLState() != null
                && java.util.Set.of("40001", "40P01", "55P03").contains(sql.getSQLState());
    }

    /** SQLState class 23 is integrity constraint violation in both H2 and PostgreSQL. */
    private static boolean isConstraintViolation(Throwable t) {
        return t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("23");
    }
}
