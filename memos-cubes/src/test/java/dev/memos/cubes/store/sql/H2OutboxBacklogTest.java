package dev.memos.cubes.store.sql;

import dev.memos.kernel.event.EventType;
import dev.memos.kernel.event.KernelEvent;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.spi.OutboxQueue;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the outbox says waits for the relay: the lag API and the metrics read it. */
@QuarkusTest
class H2OutboxBacklogTest {
    @Inject
    SqlOutbox outbox;
    @Inject
    JtaTransactions transactions;

    @Test
    void the_backlog_counts_a_spaces_unpublished_events_and_dates_the_first_of_them() {
        String space = "backlog-" + UUID.randomUUID().toString().substring(0, 8);
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        for (int i = 0; i < 3; i++) {
            KernelEvent event = new KernelEvent(UUID.randomUUID(), EventType.CUBE_CREATED, space,
                    new CubeId(UUID.randomUUID()), 1, "alice", t0.plusSeconds(i), Map.of());
            transactions.inTransaction(() -> {
                outbox.append(event);
                return null;
            });
        }
        assertEquals(new OutboxQueue.Backlog(3, t0), backlog(List.of(space)));
        OutboxQueue.Backlog everywhere = backlog(null);
        assertTrue(everywhere.events() >= 3 && !everywhere.oldest().isAfter(t0), everywhere.toString());

        List<Long> seqs = transactions.inTransaction(() -> outbox.after(0, 100_000)).stream()
                .filter(p -> p.event().space().equals(space)).map(OutboxQueue.Pending::seq).toList();
        transactions.inTransaction(() -> {
            outbox.markPublished(seqs.subList(0, 1), Instant.now());
            return null;
        });
        assertEquals(new OutboxQueue.Backlog(2, t0.plusSeconds(1)), backlog(List.of(space)));
        transactions.inTransaction(() -> {
            outbox.markPublished(seqs, Instant.now());
            return null;
        });
        OutboxQueue.Backlog none = backlog(List.of(space));
        assertEquals(0, none.events());
        assertNull(none.oldest());
    }

    private OutboxQueue.Backlog backlog(List<String> spaces) {
        return transactions.inTransaction(() -> outbox.backlog(spaces));
    }
}
