package dev.memos.kernel;

import dev.memos.kernel.access.Principal;
import dev.memos.kernel.access.Role;
import dev.memos.kernel.access.SpaceView;
import dev.memos.kernel.error.InvalidException;
import dev.memos.kernel.error.UnavailableException;
import dev.memos.kernel.model.CubeHead;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.search.IndexCandidates;
import dev.memos.kernel.search.IndexQuery;
import dev.memos.kernel.search.Ranking;
import dev.memos.kernel.search.SearchFilters;
import dev.memos.kernel.search.SearchHit;
import dev.memos.kernel.search.SearchMode;
import dev.memos.kernel.search.SearchRequest;
import dev.memos.kernel.search.TimeExpressions;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Finds the cubes that answer a query: candidates from the index, then the store's current state
 * of each (with the caller's grant checked in the query), filters re-applied to that state,
 * memos' ranking, and the hits reported as accesses.
 */
public final class Retrieval {
    /**
     * Candidates each list brings to the fusion: four per hit asked, at least this many. A cube below rank 40 in
     * both lists fuses to under 2 / (rrfK + 41) and rarely reaches the top ten; every candidate costs a read of
     * its current state, which at a million cubes was the largest part of a search (docs/benchmarks.md). The
     * index may explore more widely than it returns (the vector list's graph search does).
     */
    public static final int MIN_CANDIDATES = 40;

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
    private final Executor lists;
    private final dev.memos.kernel.spi.AuditLog audit;
    private final SearchRequest.TimeUse timeDefault;

    /**
     * How retrieval ranks and waits.
     *
     * @param waitTimeout how long a read-your-writes search waits for the index when the request does not say
     * @param timeDefault what a time named in a query does when the request does not say
     */
    public record Settings(Ranking ranking, Duration waitTimeout, SearchRequest.TimeUse timeDefault) {
        public Settings {
            Objects.requireNonNull(ranking, "ranking");
            Objects.requireNonNull(waitTimeout, "waitTimeout");
            Objects.requireNonNull(timeDefault, "timeDefault");
        }

        /** Times named in queries boost. */
        public Settings(Ranking ranking, Duration waitTimeout) {
            this(ranking, waitTimeout, SearchRequest.TimeUse.BOOST);
        }
    }

    /** A retrieval whose reads of sensitive cubes go nowhere (tests of other things). */
    public Retrieval(CubeStore cubes, DirectoryStore directory, SearchIndex index, Embedder embedder, UsageSink usage,
                     IndexProgress progress, Transactions transactions, Clock clock, Executor lists, Settings settings) {
        this(cubes, directory, index, embedder, usage, progress, transactions, clock, lists, Audit.NONE, settings);
    }

    /**
     * @param lists runs a hybrid search's vector list (query embedding included) beside its keyword list
     * @param audit records the hits labelled sensitive ({@code cube.read-sensitive}, via search)
     */
    public Retrieval(CubeStore cubes, DirectoryStore directory, SearchIndex index, Embedder embedder, UsageSink usage,
                     IndexProgress progress, Transactions transactions, Clock clock, Executor lists,
                     dev.memos.kernel.spi.AuditLog audit, Settings settings) {
        Ranking ranking = settings.ranking();
        Duration waitTimeout = settings.waitTimeout();
        this.timeDefault = settings.timeDefault();
        this.audit = Objects.requireNonNull(audit, "audit");
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
        this.lists = Objects.requireNonNull(lists, "lists");
        this.guard = new Guard(directory, cubes);
    }

    /** Searches one space, or with {@code space} null every space the caller may read. */
    public List<SearchHit> search(Principal actor, String space, SearchRequest asked) {
        Set<String> spaces = transactions.inTransaction(() -> space != null
                ? Set.of(guard.space(actor, space, Role.READ).space().name())
                : directory.spaces(actor.id()).stream().map(SpaceView::space).map(s -> s.name()).collect(Collectors.toSet()));
        if (spaces.isEmpty()) {
            return List.of();
        }
        Optional<TimeExpressions.Range> named = namedTime(asked);
        SearchRequest request = asked;
        if (named.isPresent() && timeUse(asked) == SearchRequest.TimeUse.FILTER) {
            Optional<SearchFilters> narrowed = asked.filters().withEventTime(named.get());
            if (narrowed.isEmpty()) {
                return List.of();
            }
            request = asked.withFilters(narrowed.get());
        }
        TimeExpressions.Range boosted = timeUse(asked) == SearchRequest.TimeUse.BOOST ? named.orElse(null) : null;
        if (request.asOf() != null) {
            List<SearchHit> then = AsOfSearch.search(cubes, index, embedder, ranking, transactions, actor, spaces, request,
                    MIN_CANDIDATES);
            audited(actor, then, "search as of " + request.asOf());
            return then;
        }
        Duration wait = request.waitTimeout() != null ? request.waitTimeout() : waitTimeout;
        if (request.waitForWrites() && !progress.awaitIndexed(spaces, wait)) {
            throw new UnavailableException("the search index has not caught up with recent writes within "
                    + wait.toMillis() + " ms; ask again, or allow longer with waitMs (at most "
                    + SearchRequest.MAX_WAIT.toMillis() + ")", null);
        }
        Instant now = clock.instant();
        Instant validAt = request.filters().validAt() != null ? request.filters().validAt() : now;
        IndexCandidates candidates = candidates(spaces, request, validAt);
        SearchRequest searched = request;
        List<SearchHit> hits = transactions.inTransaction(() -> hits(actor, spaces, searched, candidates, validAt, now,
                boosted));
        usage.accessed(hits.stream().map(h -> h.cube().id()).toList(), now);
        audited(actor, hits, "search");
        return hits;
    }

    /**
     * The time {@code request}'s query names, resolved against its reference time (UTC), unless its time use is
     * {@link SearchRequest.TimeUse#OFF}.
     */
    public Optional<TimeExpressions.Range> namedTime(SearchRequest request) {
        if (timeUse(request) == SearchRequest.TimeUse.OFF) {
            return Optional.empty();
        }
        Instant reference = request.timeReference() != null ? request.timeReference()
                : request.filters().validAt() != null ? request.filters().validAt()
                : request.asOf() != null ? request.asOf() : clock.instant();
        return TimeExpressions.find(request.text(), reference.atZone(java.time.ZoneOffset.UTC));
    }

    /** What {@code request} does with a time its query names: its own choice, else the service's. */
    public SearchRequest.TimeUse timeUse(SearchRequest request) {
        return request.time() != null ? request.time() : timeDefault;
    }

    private void audited(Principal actor, List<SearchHit> hits, String via) {
        if (hits.stream().anyMatch(h -> !h.cube().governance().sensitivity().isEmpty())) {
            transactions.inTransaction(() -> {
                SensitiveReads.record(audit, clock.instant(), actor.id(), hits.stream().map(SearchHit::cube).toList(), via);
                return null;
            });
        }
    }

    /**
     * The candidates' current heads are read, filtered and ranked; only the best are then read whole. The labels
     * a head lacks (tags, sensitivity, purpose) were checked by the index on the version it holds: a candidate
     * whose index entry is older than its live version is read whole at once and checked in full. A hit that
     * changed between the two reads is checked again, and the next in rank takes the place of one that fails.
     */
    private List<SearchHit> hits(Principal actor, Set<String> spaces, SearchRequest request, IndexCandidates candidates,
                                 Instant validAt, Instant now, TimeExpressions.Range boosted) {
        Map<CubeId, Integer> indexed = new HashMap<>();
        for (List<IndexCandidates.Scored> list : List.of(candidates.keyword(), candidates.vector(),
                candidates.contextKeyword(), candidates.contextVector())) {
            list.forEach(s -> indexed.merge(s.id(), s.version(), Math::min));
        }
        SearchFilters filters = request.filters();
        Map<CubeId, CubeHead> alive = new HashMap<>();
        cubes.findHeads(indexed.keySet(), actor.id()).forEach((id, head) -> {
            if (spaces.contains(head.space()) && filters.matches(head, validAt)) {
                alive.put(id, head);
            }
        });
        // a cube read whole: its labels count where the index holds another version than this one
        Predicate<MemCube> passes = cube -> cube != null && spaces.contains(cube.space())
                && filters.matches(CubeHead.of(cube), validAt)
                && (cube.version() == indexed.get(cube.id()) || filters.matchesLabels(cube));
        Map<CubeId, MemCube> read = new HashMap<>();
        List<CubeId> stale = alive.values().stream().filter(h -> h.version() != indexed.get(h.id())).map(CubeHead::id).toList();
        if (!stale.isEmpty()) {
            read.putAll(cubes.findAll(stale, actor.id()));
            stale.stream().filter(id -> !passes.test(read.get(id))).forEach(alive::remove);
        }
        List<Ranking.Ranked> ranked = ranking.rank(candidates, alive, now, request.explain(), boosted);
        List<SearchHit> hits = new ArrayList<>(request.k());
        for (int next = 0; hits.size() < request.k() && next < ranked.size(); ) {
            List<Ranking.Ranked> batch = ranked.subList(next, Math.min(ranked.size(), next + request.k() - hits.size()));
            next += batch.size();
            read.putAll(cubes.findAll(batch.stream().map(r -> r.head().id()).filter(id -> !read.containsKey(id)).toList(),
                    actor.id()));
            for (Ranking.Ranked r : batch) {
                MemCube cube = read.get(r.head().id());
                if (passes.test(cube)) {
                    hits.add(r.hit(cube));
                }
            }
        }
        return hits;
    }

    /**
     * The index's lists. In hybrid mode the query embedding and the vector list run on {@code lists} while this
     * thread runs the keyword list: the two do not depend on each other, and a search waits for the slower.
     */
    private IndexCandidates candidates(Set<String> spaces, SearchRequest request, Instant validAt) {
        int n = Math.max(MIN_CANDIDATES, 4 * request.k());
        Function<SearchMode, IndexCandidates> list = mode -> index.search(new IndexQuery(spaces, request.text(),
                mode.usesVectors() ? queryVector(embedder, request.text()) : null, mode, request.filters(), validAt, n));
        if (request.mode() != SearchMode.HYBRID) {
            return list.apply(request.mode());
        }
        CompletableFuture<IndexCandidates> vector = CompletableFuture.supplyAsync(() -> list.apply(SearchMode.VECTOR), lists);
        IndexCandidates keyword;
        try {
            keyword = list.apply(SearchMode.KEYWORD);
        } catch (RuntimeException e) {
            vector.cancel(false);
            throw e;
        }
        try {
            return keyword.withVectorsOf(vector.join());
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** The query's vector; a query the embedder refuses is the caller's to change (400), not a failure of memos. */
    static float[] queryVector(Embedder embedder, String query) {
        try {
            return embedder.embedQuery(query);
        } catch (Embedder.Rejected refused) {
            throw new InvalidException("query", "the embedding model refused it (" + refused.getMessage()
                    + "); shorten it, or search with mode keyword");
        }
    }
}
