package dev.memos.kernel;

import dev.memos.kernel.access.Principal;
import dev.memos.kernel.access.Role;
import dev.memos.kernel.access.SpaceView;
import dev.memos.kernel.error.UnavailableException;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.search.IndexCandidates;
import dev.memos.kernel.search.IndexQuery;
import dev.memos.kernel.search.Ranking;
import dev.memos.kernel.search.SearchHit;
import dev.memos.kernel.search.SearchRequest;
import dev.memos.kernel.spi.CubeStore;
import dev.memos.kernel.spi.DirectoryStore;
import dev.memos.kernel.spi.Embedder;
import dev.memos.kernel.spi.IndexProgress;
import dev.memos.kernel.spi.SearchIndex;
import dev.memos.kernel.spi.Transactions;
import dev.memos.kernel.spi.UsageSink;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Finds the cubes that answer a query: candidates from the index, then the store's current state
 * of each (with the caller's grant checked in the query), filters re-applied to that state,
 * memos' ranking, and the hits reported as accesses.
 */
public final class Retrieval {
    /** Candidates asked of each list: more than k, because HNSW recall grows with the beam width. */
    public static final int MIN_CANDIDATES = 100;

    private final CubeStore cubes;
    private final SearchIndex index;
    private final Embedder embedder;
    private final UsageSink usage;
    private final IndexProgress progress;
    private final Transactions transactions;
    private final Clock clock;
    private final Ranking ranking;
    private final Duration waitTimeout;
    private final Guard guard;
    private final DirectoryStore directory;

    public Retrieval(CubeStore cubes, DirectoryStore directory, SearchIndex index, Embedder embedder, UsageSink usage,
                     IndexProgress progress, Transactions transactions, Clock clock, Ranking ranking,
                     Duration waitTimeout) {
        this.cubes = Objects.requireNonNull(cubes, "cubes");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.index = Objects.requireNonNull(index, "index");
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        this.usage = Objects.requireNonNull(usage, "usage");
        this.progress = Objects.requireNonNull(progress, "progress");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ranking = Objects.requireNonNull(ranking, "ranking");
        this.waitTimeout = Objects.requireNonNull(waitTimeout, "waitTimeout");
        this.guard = new Guard(directory, cubes);
    }

    /** Searches one space, or with {@code space} null every space the caller may read. */
    public List<SearchHit> search(Principal actor, String space, SearchRequest request) {
        Set<String> spaces = transactions.inTransaction(() -> space != null
                ? Set.of(guard.space(actor, space, Role.READ).space().name())
                : directory.spaces(actor.id()).stream().map(SpaceView::space).map(s -> s.name()).collect(Collectors.toSet()));
        if (spaces.isEmpty()) {
            return List.of();
        }
        if (request.waitForWrites() && !progress.awaitIndexed(spaces, waitTimeout)) {
            throw new UnavailableException("the search index has not caught up with recent writes within "
                    + waitTimeout.toMillis() + " ms", null);
        }
        Instant now = clock.instant();
        Instant validAt = request.filters().validAt() != null ? request.filters().validAt() : now;
        float[] vector = request.mode().usesVectors() ? embedder.embedQuery(request.text()) : null;
        IndexCandidates candidates = index.search(new IndexQuery(spaces, request.text(), vector, request.mode(),
                request.filters(), validAt, Math.max(MIN_CANDIDATES, 4 * request.k())));

        Set<CubeId> ids = new LinkedHashSet<>();
        candidates.keyword().forEach(s -> ids.add(s.id()));
        candidates.vector().forEach(s -> ids.add(s.id()));
        Map<CubeId, MemCube> current = transactions.inTransaction(() -> cubes.findAll(ids, actor.id()));
        Map<CubeId, MemCube> alive = new HashMap<>();
        current.forEach((id, cube) -> {
            if (spaces.contains(cube.space()) && request.filters().matches(cube, validAt)) {
                alive.put(id, cube);
            }
        });
        List<SearchHit> hits = ranking.rank(candidates, alive, now, request.k(), request.explain());
        usage.accessed(hits.stream().map(h -> h.cube().id()).toList(), now);
        return hits;
    }
}
