package dev.memos.kernel;

import dev.memos.kernel.access.Principal;
import dev.memos.kernel.access.Role;
import dev.memos.kernel.error.InvalidException;
import dev.memos.kernel.lineage.VersionRef;
import dev.memos.kernel.model.Limits;
import dev.memos.kernel.model.LifecycleState;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.model.TextPayload;
import dev.memos.kernel.model.Tier;
import dev.memos.kernel.query.CubeQuery;
import dev.memos.kernel.query.Page;
import dev.memos.kernel.spi.CubeStore;
import dev.memos.kernel.spi.DirectoryStore;
import dev.memos.kernel.spi.Transactions;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Exports a space's stable memories as a supervised fine-tuning set, for training a LoRA adapter elsewhere (e.g.
 * PEFT, then llama.cpp's LoRA-to-GGUF conversion). Stable means: a live plaintext cube (GENERATED, ACTIVATED or
 * FROZEN), whose live version is at least {@code minAge} old (not edited lately), not invalidated and valid now,
 * with heat at least {@code minHeat}; the hottest first, at most {@code limit} (≤ {@value #MAX_CUBES}, the most
 * sources one cube's lineage names). The manifest names every cube and version; importing the trained adapter
 * with {@code derivedFrom} set to them links the parameter cube to exactly those versions.
 */
public final class Distillation {
    public static final int MAX_CUBES = Limits.MAX_DERIVED_FROM;
    /** Plaintext cubes looked at, at most, to choose from. */
    public static final int MAX_SCANNED = 100_000;
    private static final Set<LifecycleState> STABLE_STATES =
            EnumSet.of(LifecycleState.GENERATED, LifecycleState.ACTIVATED, LifecycleState.FROZEN);
    public static final String SYSTEM = "You are an assistant with a long-term memory. Answer from what you remember.";

    private final CubeStore cubes;
    private final Transactions transactions;
    private final Clock clock;
    private final Guard guard;

    public Distillation(CubeStore cubes, DirectoryStore directory, Transactions transactions, Clock clock) {
        this.cubes = Objects.requireNonNull(cubes, "cubes");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.guard = new Guard(Objects.requireNonNull(directory, "directory"), cubes);
    }

    /** How the memories were chosen. */
    public record Selection(Duration minAge, double minHeat, int limit) {
        public Selection {
            Objects.requireNonNull(minAge, "minAge");
            if (minAge.isNegative()) {
                throw new InvalidException("minAge", "must not be negative");
            }
            if (!(minHeat >= 0)) {
                throw new InvalidException("minHeat", "must be 0 or more");
            }
            dev.memos.kernel.model.Check.range("limit", limit, 1, MAX_CUBES);
        }
    }

    /** One training example: a chat whose answer is the memory. */
    public record Example(String system, String user, String assistant, VersionRef cube) {
    }

    /**
     * @param id a content address of the set: the SHA-256 (first 16 hex digits) of the space and cube versions
     * @param scanned plaintext cubes looked at
     */
    public record Export(String id, String space, Instant createdAt, Selection selection, List<VersionRef> cubes,
                         List<Example> examples, int scanned) {
    }

    public Export export(Principal actor, String space, Selection selection) {
        Instant now = clock.instant();
        Instant before = now.minus(selection.minAge());
        List<MemCube> stable = new ArrayList<>();
        int scanned = 0;
        dev.memos.kernel.model.CubeId after = null;
        do {
            dev.memos.kernel.model.CubeId cursor = after;
            Page<MemCube> page = transactions.inTransaction(() -> {
                guard.space(actor, space, Role.READ);
                return cubes.list(space, actor.id(), new CubeQuery(null, null, null, null, cursor, Limits.MAX_PAGE));
            });
            for (MemCube cube : page.items()) {
                scanned++;
                if (stable(cube, before, now, selection.minHeat())) {
                    stable.add(cube);
                }
            }
            after = page.items().isEmpty() || page.nextCursor() == null ? null : page.items().getLast().id();
        } while (after != null && scanned < MAX_SCANNED);
        List<MemCube> chosen = stable.stream()
                .sorted(Comparator.comparingDouble((MemCube c) -> c.usage().heat()).reversed().thenComparing(MemCube::id))
                .limit(selection.limit()).toList();
        List<VersionRef> refs = chosen.stream().map(c -> new VersionRef(c.id(), c.version())).toList();
        return new Export(id(space, refs), space, now, selection, refs, chosen.stream().map(Distillation::example).toList(),
                scanned);
    }

    private static boolean stable(MemCube cube, Instant before, Instant now, double minHeat) {
        return cube.tier() == Tier.PLAINTEXT && cube.payload() instanceof TextPayload && STABLE_STATES.contains(cube.state())
                && !cube.time().recordedAt().isAfter(before) && !cube.provenance().operation().invalidates()
                && cube.time().validAt(now) && cube.usage().heat() >= minHeat;
    }

    /** The question names what the memory is about (its tags, else its kind); the answer is the memory. */
    static Example example(MemCube cube) {
        TextPayload text = (TextPayload) cube.payload();
        String about = !text.tags().isEmpty() ? String.join(", ", text.tags()) : text.kind() != null ? text.kind() : "this";
        return new Example(SYSTEM, "What do you remember about " + about + "?", text.text(),
                new VersionRef(cube.id(), cube.version()));
    }

    static String id(String space, List<VersionRef> refs) {
        StringBuilder all = new StringBuilder(space);
        refs.stream().map(r -> r.cube() + "@" + r.version()).sorted().forEach(r -> all.append('\n').append(r));
        return dev.memos.kernel.model.Sha256.of(all.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }
}
