package dev.memos.kernel;

import dev.memos.kernel.access.Principal;
import dev.memos.kernel.access.Role;
import dev.memos.kernel.access.SpaceView;
import dev.memos.kernel.error.ForbiddenException;
import dev.memos.kernel.error.InvalidException;
import dev.memos.kernel.error.NotFoundException;
import dev.memos.kernel.lineage.LineageFacts;
import dev.memos.kernel.lineage.VersionRef;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.spi.CubeStore;
import dev.memos.kernel.spi.DirectoryStore;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves what a principal may touch. Something the principal cannot read at all is "not found"
 * (existence is not revealed); something it can read but not change is "forbidden".
 */
final class Guard {
    private final DirectoryStore directory;
    private final CubeStore cubes;

    Guard(DirectoryStore directory, CubeStore cubes) {
        this.directory = directory;
        this.cubes = cubes;
    }

    SpaceView space(Principal actor, String space, Role needed) {
        SpaceView view = directory.space(space, actor.id())
                .orElseThrow(() -> new NotFoundException("no space '" + space + "'"));
        if (!view.role().includes(needed)) {
            throw new ForbiddenException("your role on space '" + space + "' is " + view.role()
                    + "; this needs " + needed);
        }
        return view;
    }

    MemCube cube(Principal actor, CubeId id, Role needed) {
        return cubes.find(id, actor.id(), needed).orElseThrow(() -> {
            if (needed != Role.READ && cubes.find(id, actor.id(), Role.READ).isPresent()) {
                return new ForbiddenException("you may read cube " + id + " but this needs the " + needed + " role");
            }
            return new NotFoundException("no cube " + id);
        });
    }

    /**
     * Records about one space (named) are for its administrators, records about every space (null) for
     * administrators of memos; {@code what} names the records in the refusal.
     */
    void administers(Principal actor, String space, String what) {
        if (space == null) {
            if (!actor.admin()) {
                throw new ForbiddenException(what + " of every space are for administrators; name a space you administer");
            }
            return;
        }
        dev.memos.kernel.access.Space.requireName(space);
        if (!actor.admin()) {
            space(actor, space, Role.ADMIN);
        }
    }

    /** Event data naming the live versions of the sources of a derived write; each must be readable. */
    Map<String, String> derivation(Principal actor, List<CubeId> derivedFrom) {
        if (derivedFrom.isEmpty()) {
            return Map.of();
        }
        List<VersionRef> refs = new java.util.ArrayList<>();
        for (CubeId source : derivedFrom) {
            MemCube live = cubes.find(source, actor.id(), Role.READ)
                    .orElseThrow(() -> new InvalidException("derivedFrom", "no cube " + source + " that you may read"));
            refs.add(new VersionRef(source, live.version()));
        }
        Map<String, String> data = new LinkedHashMap<>(LineageFacts.sourceData(refs));
        data.put(LineageFacts.OPERATION, "derive");
        return data;
    }
}
