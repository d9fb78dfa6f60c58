package dev.memos.api.rest;

import dev.memos.api.wire.CubeView;
import dev.memos.kernel.Lineage;
import dev.memos.kernel.access.Principal;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.MemCube;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Cube views as a reader may see them: a source in {@code provenance.derivedFrom} the reader cannot read is named
 * {@code redacted-<n>}, as the lineage view names it, so no answer tells a hidden cube's id.
 */
@ApplicationScoped
public class Redacted {
    private final Lineage lineage;

    public Redacted(Lineage lineage) {
        this.lineage = lineage;
    }

    public CubeView view(Principal reader, MemCube cube) {
        return views(reader, List.of(cube)).getFirst();
    }

    public List<CubeView> views(Principal reader, List<MemCube> cubes) {
        Set<CubeId> readable = readable(reader, cubes);
        return cubes.stream().map(c -> CubeView.of(c, readable)).toList();
    }

    /** The sources of these cubes that the reader may read. */
    public Set<CubeId> readable(Principal reader, Collection<MemCube> cubes) {
        Set<CubeId> sources = cubes.stream().flatMap(c -> c.provenance().derivedFrom().stream())
                .collect(Collectors.toSet());
        return sources.isEmpty() ? Set.of() : lineage.readable(reader, sources);
    }
}
