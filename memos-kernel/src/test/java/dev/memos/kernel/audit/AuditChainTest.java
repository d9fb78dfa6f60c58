package dev.memos.kernel.audit;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuditChainTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00.123456789Z");

    private static List<AuditEntry> trail(int n) {
        List<AuditEntry> entries = new ArrayList<>();
        String previous = AuditEntry.GENESIS;
        for (int i = 1; i <= n; i++) {
            AuditEntry entry = AuditEntry.next(i, T0.plusSeconds(i), "alice", "grant.changed", i % 2 == 0 ? "notes" : null,
                    "bob", "role=READ", previous);
            entries.add(entry);
            previous = entry.hash();
        }
        return entries;
    }

    private static Optional<String> check(List<AuditEntry> entries, long headSeq, String headHash) {
        AuditChain chain = new AuditChain(AuditEntry.GENESIS, 1);
        for (AuditEntry entry : entries) {
            if (!chain.accept(entry)) {
                break;
            }
        }
        return chain.finish(headSeq, headHash);
    }

    @Test
    void an_untouched_trail_is_intact_and_times_are_kept_to_the_microsecond() {
        List<AuditEntry> entries = trail(5);
        assertEquals(Optional.empty(), check(entries, 5, entries.getLast().hash()));
        assertEquals(Instant.parse("2026-12-01T10:00:01.123456Z"), entries.getFirst().at());
    }

    @Test
    void a_changed_entry_is_found() {
        List<AuditEntry> entries = trail(5);
        AuditEntry e = entries.get(2);
        entries.set(2, new AuditEntry(e.seq(), e.at(), e.actor(), e.action(), e.space(), e.target(), "role=ADMIN",
                e.prevHash(), e.hash()));
        assertEquals(Optional.of("entry 3 was changed (its hash does not match its fields)"),
                check(entries, 5, entries.getLast().hash()));
    }

    @Test
    void a_changed_entry_with_a_recomputed_hash_breaks_the_next_one() {
        List<AuditEntry> entries = trail(5);
        AuditEntry e = entries.get(2);
        entries.set(2, AuditEntry.next(e.seq(), e.at(), "mallory", e.action(), e.space(), e.target(), e.detail(),
                e.prevHash()));
        assertEquals(Optional.of("entry 4 does not follow the entry before it (prevHash differs)"),
                check(entries, 5, entries.getLast().hash()));
    }

    @Test
    void a_removed_entry_and_a_cut_tail_are_found() {
        List<AuditEntry> entries = trail(5);
        String head = entries.getLast().hash();
        List<AuditEntry> gap = new ArrayList<>(entries);
        gap.remove(1);
        assertEquals(Optional.of("entry 2 is missing (next found: 3)"), check(gap, 5, head));
        List<AuditEntry> cut = new ArrayList<>(entries.subList(0, 3));
        assertTrue(check(cut, 5, head).orElseThrow().contains("4 … 5 are missing"));
    }
}
