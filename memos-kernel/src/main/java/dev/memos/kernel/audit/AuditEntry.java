package dev.memos.kernel.audit;

import dev.memos.kernel.model.Sha256;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One entry of the audit trail. Entries form a hash chain: each {@link #hash} covers the entry's fields and the
 * previous entry's hash, so changing or removing an entry breaks every hash after it ({@link AuditChain}).
 *
 * @param space null for what concerns no space (principals, administration)
 * @param target what the action was about: a cube id, a principal id, a space name …
 * @param detail a short machine-written description (never cube content)
 */
public record AuditEntry(long seq, Instant at, String actor, String action, String space, String target,
                         String detail, String prevHash, String hash) {
    /** The hash before the first entry of a new trail. */
    public static final String GENESIS = "0".repeat(64);

    public AuditEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(prevHash, "prevHash");
    }

    /** The next entry after {@code prevHash}, with its hash; times are kept to the microsecond, as every store keeps them. */
    public static AuditEntry next(long seq, Instant at, String actor, String action, String space, String target,
                                  String detail, String prevHash) {
        Instant micros = at.truncatedTo(ChronoUnit.MICROS);
        return new AuditEntry(seq, micros, actor, action, space, target, detail, prevHash,
                hash(seq, micros, actor, action, space, target, detail, prevHash));
    }

    /** What the hash of this entry must be, computed from its fields. */
    public String expectedHash() {
        return hash(seq, at, actor, action, space, target, detail, prevHash);
    }

    private static String hash(long seq, Instant at, String actor, String action, String space, String target,
                               String detail, String prevHash) {
        String canonical = String.join("\n", Long.toString(seq), at.toString(), actor, action, nonNull(space),
                nonNull(target), nonNull(detail), prevHash);
        return Sha256.of(canonical.getBytes(StandardCharsets.UTF_8));
    }

    private static String nonNull(String value) {
        return value == null ? "\u0000" : value.replace("\\", "\\\\").replace("\n", "\\n");
    }
}
