package dev.memos.kernel;

import dev.memos.kernel.access.Principal;
import dev.memos.kernel.access.Role;
import dev.memos.kernel.error.ConflictException;
import dev.memos.kernel.error.InvalidException;
import dev.memos.kernel.model.Check;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.Limits;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.model.TextPayload;
import dev.memos.kernel.query.Page;
import dev.memos.kernel.spi.CubeStore;
import dev.memos.kernel.spi.Transactions;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Data-subject operations: everything memos holds about one person, across every space the caller administers
 * (ADMIN grants that reach the cubes). A cube is about a subject when any of its versions names them. Erasure by
 * subject is {@link Erasures#eraseSubject}.
 */
public final class Subjects {
    /** How many cubes one rectification may change. */
    public static final int MAX_RECTIFY = 1_000;

    private final MemoryKernel kernel;
    private final CubeStore cubes;
    private final Transactions transactions;

    public Subjects(MemoryKernel kernel, CubeStore cubes, Transactions transactions) {
        this.kernel = Objects.requireNonNull(kernel, "kernel");
        this.cubes = Objects.requireNonNull(cubes, "cubes");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
    }

    /** The live versions of the subject's cubes in the spaces the actor administers, a page at a time by id. */
    public Page<MemCube> list(Principal actor, String subject, CubeId after, int limit) {
        String who = Check.required("subject", Check.subject(subject));
        Check.range("limit", limit, 1, Limits.MAX_PAGE);
        List<MemCube> found = transactions.inTransaction(() -> cubes.findBySubject(who, actor.id(), Role.ADMIN, after,
                limit + 1));
        return Page.fromLookahead(found, limit, c -> c.id().toString());
    }

    /**
     * What a rectification did: each changed cube's new version, how many cubes needed no change, and the cubes
     * that could not be changed (immutable in their state, or changed concurrently) with the reason.
     */
    public record Rectified(List<MemCube> changed, int unchanged, List<Skipped> skipped) {
    }

    public record Skipped(CubeId cube, String reason) {
    }

    /**
     * Rectifies what memos holds about a subject: in every cube about them (in spaces the actor administers) whose
     * live text contains {@code replace}, writes a new version with each occurrence replaced by {@code with}; with
     * {@code newSubject}, also moves the cubes to that subject (a corrected name or identifier). Each change is an
     * ordinary update of its own (new version, screened, indexed, recorded by its event); a cube that cannot be
     * changed (FROZEN, MERGED, changed meanwhile) is skipped and named, the others are still rectified. The old
     * versions stay in the history — erase the subject ({@link Erasures#eraseSubject}) when they must go.
     */
    public Rectified rectify(Principal actor, String subject, String replace, String with, String newSubject) {
        String who = Check.required("subject", Check.subject(subject));
        String renamed = Check.subject(newSubject);
        if (replace == null && renamed == null) {
            throw new InvalidException("replace", "give replace (with with) or subject, or both");
        }
        if (replace != null) {
            Check.text("replace", replace, Limits.MAX_TEXT);
            Check.required("with", with);
            Check.maxLength("with", with, Limits.MAX_TEXT);
        }
        List<MemCube> about = new ArrayList<>();
        CubeId after = null;
        do {
            Page<MemCube> page = list(actor, who, after, Limits.MAX_PAGE);
            about.addAll(page.items());
            after = page.nextCursor() == null ? null : page.items().getLast().id();
            if (about.size() > MAX_RECTIFY) {
                throw new InvalidException("subject", "more than " + MAX_RECTIFY + " cubes are about '" + who
                        + "'; rectify them space by space");
            }
        } while (after != null);
        List<MemCube> changed = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        int unchanged = 0;
        for (MemCube cube : about) {
            String text = cube.payload() instanceof TextPayload t ? t.text() : null;
            String fixed = replace != null && text != null && text.contains(replace) ? text.replace(replace, with) : null;
            boolean move = renamed != null && !renamed.equals(cube.governance().subject());
            if (fixed == null && !move) {
                unchanged++;
                continue;
            }
            try {
                changed.add(kernel.update(actor, cube.id(), cube.version(), new CubePatch(fixed, null, null, null, null,
                        null, false, null, null, null, move ? renamed : null)));
            } catch (ConflictException refused) { // also a stale version
                skipped.add(new Skipped(cube.id(), refused.getMessage()));
            }
        }
        return new Rectified(changed, unchanged, skipped);
    }
}
