package dev.memos.kernel.spi;

import dev.memos.kernel.error.ConflictException;
import dev.memos.kernel.error.LostRaceException;
import dev.memos.kernel.testing.NoTransactions;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TransactionsTest {
    private final AtomicInteger runs = new AtomicInteger();

    /** Work that loses its race the first {@code losses} runs, then answers how many runs it took. */
    private Integer losing(int losses) {
        int run = runs.incrementAndGet();
        if (run <= losses) {
            throw new LostRaceException("deadlock victim, run " + run, null);
        }
        return run;
    }

    @Test
    void work_that_lost_a_race_runs_again_until_it_wins() {
        assertEquals(3, NoTransactions.INSTANCE.inTransactionRetrying(5, () -> losing(2)));
    }

    @Test
    void work_that_keeps_losing_gives_up_after_its_attempts_with_the_last_loss() {
        LostRaceException lost = assertThrows(LostRaceException.class,
                () -> NoTransactions.INSTANCE.inTransactionRetrying(3, () -> losing(10)));
        assertEquals("deadlock victim, run 3", lost.getMessage());
        assertEquals(3, runs.get());
    }

    @Test
    void any_other_conflict_is_the_callers_and_is_not_run_again() {
        ConflictException clash = new ConflictException("a space named 'x' exists already");
        assertSame(clash, assertThrows(ConflictException.class, () -> NoTransactions.INSTANCE.inTransactionRetrying(5,
                () -> {
                    runs.incrementAndGet();
                    throw clash;
                })));
        assertEquals(1, runs.get());
    }
}
