package dev.memos.scheduler.index;

import dev.memos.kernel.event.EventType;
import dev.memos.kernel.event.KernelEvent;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.LifecycleState;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.model.TextPayload;
import dev.memos.kernel.spi.CubeStore;
import dev.memos.kernel.spi.Embedder;
import dev.memos.kernel.spi.SearchIndex;
import dev.memos.kernel.spi.Transactions;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Keeps the search index equal to the store: for every cube an event mentions, it reads the cube's
 * current live version and indexes it (or removes it when it is gone, DELETED or MERGED). Reading
 * the current state makes it idempotent: a redelivered or reordered event changes nothing.
 */
public final class SearchIndexer implements Consumer<List<KernelEvent>> {
    public static final String GROUP = "search-indexer";

    private final CubeStore cubes;
    private final SearchIndex index;
    private final Embedder embedder;
    private final Transactions transactions;

    public SearchIndexer(CubeStore cubes, SearchIndex index, Embedder embedder, Transactions transactions) {
        this.cubes = cubes;
        this.index = index;
        this.embedder = embedder;
        this.transactions = transactions;
    }

    @Override
    public void accept(List<KernelEvent> events) {
        Set<CubeId> ids = new LinkedHashSet<>();
        Set<String> deletedSpaces = new LinkedHashSet<>();
        for (KernelEvent event : events) {
            if (event.cubeId() != null) {
                ids.add(event.cubeId());
            } else if (event.type() == EventType.SPACE_DELETED) {
                deletedSpaces.add(event.space());
            }
        }
        deletedSpaces.forEach(index::removeSpace);
        apply(ids);
    }

    /** Brings the index entries of these cubes up to date and commits. */
    public void apply(Set<CubeId> ids) {
        List<MemCube> current = new ArrayList<>(ids.size());
        List<CubeId> gone = new ArrayList<>();
        transactions.inTransaction(() -> {
            for (CubeId id : ids) {
                Optional<MemCube> cube = cubes.findForSystem(id);
                if (cube.isPresent() && searchable(cube.get())) {
                    current.add(cube.get());
                } else {
                    gone.add(id);
                }
            }
            return null;
        });
        gone.forEach(index::remove);
        index(current);
        index.commit();
    }

    /** Embeds and upserts; does not commit. */
    public void index(List<MemCube> batch) {
        List<String> texts = new ArrayList<>();
        for (MemCube cube : batch) {
            if (cube.payload() instanceof TextPayload text) {
                texts.add(text.text());
            }
        }
        List<float[]> vectors = texts.isEmpty() ? List.of() : embedder.embedPassages(texts);
        int next = 0;
        for (MemCube cube : batch) {
            index.upsert(cube, cube.payload() instanceof TextPayload ? vectors.get(next++) : null);
        }
    }

    public static boolean searchable(MemCube cube) {
        return cube.state() != LifecycleState.DELETED && cube.state() != LifecycleState.MERGED
                && cube.state() != LifecycleState.QUARANTINED;
    }
}
