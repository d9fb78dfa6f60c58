package dev.memos.scheduler.index;

import dev.memos.kernel.event.EventType;
import dev.memos.kernel.event.KernelEvent;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.LifecycleState;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.model.TextPayload;
import dev.memos.kernel.search.ContextWindow;
import dev.memos.kernel.spi.Embedder;
import dev.memos.kernel.spi.SearchIndex;
import dev.memos.kernel.spi.SetAside;
import dev.memos.kernel.spi.SystemCubeStore;
import dev.memos.kernel.spi.Transactions;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Keeps the search index equal to the store: for every cube an event mentions, it reads the cube's
 * current live version and indexes it (or removes it when it is gone, DELETED or MERGED). Reading
 * the current state makes it idempotent: a redelivered or reordered event changes nothing.
 *
 * <p>With context windows on ({@link ContextWindow}), a cube of a session is indexed with its neighbours' texts,
 * and the neighbours whose windows hold it are indexed again: when it is written, changed, or gone (then every
 * cube of its session, so that no window keeps the text of a deleted cube).
 *
 * <p>A text the embedder refuses ({@link Embedder.Rejected}: over its limit, or otherwise unacceptable to it) does
 * not stall the rest: the batch is embedded again one text at a time, the refused cube is indexed for keywords only
 * and set aside with the reason ({@link SetAside}) until {@link #retrySetAside} indexes it again. A transient failure
 * ({@link dev.memos.kernel.error.UnavailableException}) fails the batch, which the bus delivers again after a pause.
 *
 * <p>When windows are embedded as text ({@link ContextWindow#embedText()}), a window of several cubes is indexed first
 * with a stand-in vector (no embedding on the write path) and {@link #embedPendingWindows} later, when the indexer is
 * idle ({@link WindowEmbedding}), embeds its text and puts the result in place. Changes to the index are made under
 * one lock, so that a window embedded from an old session never overwrites a newer one.
 */
public final class SearchIndexer implements Consumer<List<KernelEvent>> {
    public static final String GROUP = "search-indexer";
    private static final Logger LOG = Logger.getLogger(SearchIndexer.class);

    private final SystemCubeStore cubes;
    private final SearchIndex index;
    private final Embedder embedder;
    private final Transactions transactions;
    private final ContextWindow windows;
    private final PassageEmbedding embedding;
    private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
    /** When the index last changed for events or a rebuild ({@link System#nanoTime}). */
    private volatile long lastChange = System.nanoTime();
    /** The vectors embedded last, so that a neighbour's window vector does not read the index. */
    private final Map<CubeId, float[]> recent = Collections.synchronizedMap(
            new LinkedHashMap<>(1_024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<CubeId, float[]> eldest) {
                    return size() > RECENT_VECTORS;
                }
            });
    static final int RECENT_VECTORS = 4_096;

    /** The most cubes of a session read for its windows: the last ones created (docs/api.md, Search). */
    static final int SESSION_LIMIT = 500;

    /** An indexer without context windows. */
    public SearchIndexer(SystemCubeStore cubes, SearchIndex index, Embedder embedder, Transactions transactions) {
        this(cubes, index, embedder, transactions, new ContextWindow(0, 0));
    }

    /** An indexer whose cubes set aside are kept in memory. */
    public SearchIndexer(SystemCubeStore cubes, SearchIndex index, Embedder embedder, Transactions transactions,
                         ContextWindow windows) {
        this(cubes, index, embedder, transactions, windows, new MemorySetAside(), Clock.systemUTC());
    }

    public SearchIndexer(SystemCubeStore cubes, SearchIndex index, Embedder embedder, Transactions transactions,
                         ContextWindow windows, SetAside setAside, Clock clock) {
        this.cubes = cubes;
        this.index = index;
        this.embedder = embedder;
        this.transactions = transactions;
        this.windows = windows;
        this.embedding = new PassageEmbedding(embedder, setAside, transactions, clock);
    }

    /** A session: its space and id. */
    private record Session(String space, String id) {
        static Session of(MemCube cube) {
            String id = cube.provenance().sessionId();
            return id == null ? null : new Session(cube.space(), id);
        }
    }

    @Override
    public void accept(List<KernelEvent> events) {
        Set<CubeId> ids = new LinkedHashSet<>();
        Set<String> deletedSpaces = new LinkedHashSet<>();
        boolean retry = false;
        for (KernelEvent event : events) {
            if (event.cubeId() != null) {
                ids.add(event.cubeId());
            } else if (event.type() == EventType.SPACE_DELETED) {
                deletedSpaces.add(event.space());
            } else if (event.type() == EventType.INDEX_RETRY_REQUESTED) {
                retry = true;
            }
        }
        deletedSpaces.forEach(space -> {
            lastChange = System.nanoTime();
            index.removeSpace(space);
            embedding.forgetSpace(space);
        });
        apply(ids);
        if (retry) {
            long still = retrySetAside();
            LOG.infof("retried the cubes set aside on request; %d still set aside on this node", still);
        }
    }

    /** Brings the index entries of these cubes up to date and commits. */
    public void apply(Set<CubeId> ids) {
        lock.lock();
        try {
            applyLocked(ids); // commits even when there are none: a space removed just before becomes visible
        } finally {
            if (!ids.isEmpty()) {
                lastChange = System.nanoTime();
            }
            lock.unlock();
        }
    }

    /** How long since the index last changed for events or a rebuild. */
    public java.time.Duration idleFor() {
        return lock.isLocked() && !lock.isHeldByCurrentThread() ? java.time.Duration.ZERO
                : java.time.Duration.ofNanos(System.nanoTime() - lastChange);
    }

    private void applyLocked(Set<CubeId> ids) {
        List<MemCube> current = new ArrayList<>(ids.size());
        List<CubeId> gone = new ArrayList<>();
        Set<Session> rewindowed = new LinkedHashSet<>();
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
        if (windows.enabled()) {
            // a session that lost a cube (gone, or moved to another session): every window in it is rebuilt
            index.sessions(ids).forEach((id, s) -> {
                Session was = new Session(s.getKey(), s.getValue());
                if (current.stream().noneMatch(c -> c.id().equals(id) && was.equals(Session.of(c)))) {
                    rewindowed.add(was);
                }
            });
        }
        gone.forEach(id -> {
            index.remove(id);
            recent.remove(id);
        });
        Set<CubeId> embedded = index(current, rewindowed);
        index.commit();
        // cleared only once searchable with their vectors: "no longer set aside" means found by vector too
        List<CubeId> settled = new ArrayList<>(gone);
        settled.addAll(embedded);
        embedding.forget(settled);
    }

    /** The cubes set aside, oldest first. */
    public List<SetAside.Entry> setAside(int limit) {
        return embedding.setAside(limit);
    }

    public long setAsideCount() {
        return embedding.setAsideCount();
    }

    /** Indexes every cube set aside again (after the cause was fixed); returns how many are still set aside. */
    public long retrySetAside() {
        // under the lock throughout: a retry running on another thread (the bus's) has committed what it cleared
        lock.lock();
        try {
            embedding.expectSetAside();
            Set<CubeId> ids = new LinkedHashSet<>();
            setAside(SESSION_LIMIT * 20).forEach(e -> ids.add(e.cube()));
            if (!ids.isEmpty()) {
                apply(ids);
            }
            return setAsideCount();
        } finally {
            lock.unlock();
        }
    }

    /** Embeds and upserts, with context windows when they are on; does not commit. */
    public void index(List<MemCube> batch) {
        lock.lock();
        try {
            embedding.forget(index(batch, Set.of())); // a rebuild commits later, and is run again when cut short
        } finally {
            lastChange = System.nanoTime();
            lock.unlock();
        }
    }

    /**
     * How many entries of the space (null: every space) wait for their window's text to be embedded: 0 when windows
     * are not embedded as text (marks left by an earlier run with it on then keep their stand-ins).
     */
    public long pendingWindows(String space) {
        return windows.embedText() ? index.countPendingWindows(space) : 0;
    }

    /**
     * Embeds the text of up to {@code max} pending windows, each read again from the store, puts each embedding in
     * place of the stand-in vector, and commits. A window the embedder refuses keeps its stand-in for good; a cube no
     * longer searchable is indexed again from the store (removed). Returns how many entries were indexed again: 0
     * when none was pending. Throws {@link dev.memos.kernel.error.UnavailableException} when the embedder is.
     */
    public int embedPendingWindows(int max) {
        lock.lock();
        try {
            List<CubeId> ids = index.pendingWindows(max);
            if (ids.isEmpty()) {
                return 0;
            }
            Map<Session, Set<CubeId>> bySession = new LinkedHashMap<>();
            Set<CubeId> stale = new LinkedHashSet<>();
            Map<Session, List<MemCube>> sessions = transactions.inTransaction(() -> {
                for (CubeId id : ids) {
                    Optional<MemCube> cube = cubes.findForSystem(id);
                    Session session = cube.filter(SearchIndexer::searchable).map(Session::of).orElse(null);
                    if (session == null) {
                        stale.add(id);
                    } else {
                        bySession.computeIfAbsent(session, s -> new LinkedHashSet<>()).add(id);
                    }
                }
                Map<Session, List<MemCube>> read = new HashMap<>();
                bySession.forEach((s, touched) -> read.put(s, session(s, touched, false)));
                return read;
            });
            Function<CubeId, float[]> vectorOf = this::knownVector;
            List<MemCube> wanted = new ArrayList<>();
            List<ContextWindow.Window> pending = new ArrayList<>();
            bySession.forEach((s, touched) -> {
                List<MemCube> session = sessions.get(s);
                List<MemCube> these = session.stream().filter(c -> touched.contains(c.id())).toList();
                Map<CubeId, ContextWindow.Window> windowOf = windows.windows(session, these, vectorOf);
                for (MemCube cube : these) {
                    ContextWindow.Window window = windowOf.get(cube.id());
                    if (window != null && window.pending()) {
                        wanted.add(cube);
                        pending.add(window);
                    } else {
                        stale.add(cube.id());
                    }
                }
                touched.stream().filter(id -> these.stream().noneMatch(c -> c.id().equals(id))).forEach(stale::add);
            });
            List<float[]> embedded = embedding.embedWindows(pending);
            for (int i = 0; i < wanted.size(); i++) {
                ContextWindow.Window stand = pending.get(i);
                float[] vector = embedded.get(i);
                index.upsert(wanted.get(i), vectorOf.apply(wanted.get(i).id()),
                        new ContextWindow.Window(stand.text(), vector == null ? stand.vector() : vector, false));
            }
            if (!stale.isEmpty()) {
                applyLocked(stale);
            } else {
                index.commit();
            }
            return wanted.size() + stale.size();
        } finally {
            lock.unlock();
        }
    }

    /** A cube's own vector as embedded last, else as indexed; null when it has none. */
    private float[] knownVector(CubeId id) {
        return Optional.ofNullable(recent.get(id)).or(() -> index.vector(id)).orElse(null);
    }

    /**
     * Embeds {@code batch} and upserts it with the neighbours whose windows change, and every cube of the sessions
     * in {@code rewindowed}; does not commit. Returns the cubes of {@code batch} embedded (to clear from the set-aside
     * store once committed).
     */
    private Set<CubeId> index(List<MemCube> batch, Set<Session> rewindowed) {
        Map<CubeId, float[]> vectors = embedding.embed(batch);
        Set<CubeId> embedded = Set.copyOf(vectors.keySet());
        if (!windows.enabled()) {
            batch.forEach(cube -> index.upsert(cube, vectors.get(cube.id())));
            return embedded;
        }
        Map<Session, Set<CubeId>> touched = new LinkedHashMap<>();
        for (MemCube cube : batch) {
            Session session = Session.of(cube);
            if (session != null) {
                touched.computeIfAbsent(session, s -> new LinkedHashSet<>()).add(cube.id());
            }
        }
        rewindowed.forEach(s -> touched.computeIfAbsent(s, x -> new LinkedHashSet<>()));
        Map<Session, List<MemCube>> sessions = transactions.inTransaction(() -> {
            Map<Session, List<MemCube>> read = new HashMap<>();
            touched.forEach((s, ids) -> read.put(s, session(s, ids, rewindowed.contains(s))));
            return read;
        });
        vectors.forEach(recent::put);
        Function<CubeId, float[]> vectorOf = id -> vectors.computeIfAbsent(id,
                this::knownVector);
        Map<CubeId, ContextWindow.Window> windowOf = new HashMap<>();
        Map<CubeId, MemCube> neighbours = new LinkedHashMap<>();
        for (var entry : touched.entrySet()) {
            List<MemCube> session = sessions.get(entry.getKey());
            List<MemCube> wanted = rewindowed.contains(entry.getKey()) ? session : windows.affected(session, entry.getValue());
            windowOf.putAll(windows.windows(session, wanted, vectorOf));
            wanted.forEach(c -> neighbours.put(c.id(), c));
        }
        for (MemCube cube : batch) {
            neighbours.remove(cube.id());
            ContextWindow.Window window = windowOf.get(cube.id());
            if (window == null && cube.payload() instanceof TextPayload text) {
                // no session: its window is itself, so that it stands in the context lists like any other cube
                window = new ContextWindow.Window(text.text(), vectors.get(cube.id()));
            }
            index.upsert(cube, vectors.get(cube.id()), window);
        }
        for (MemCube neighbour : neighbours.values()) {
            float[] own = vectorOf.apply(neighbour.id());
            if (own == null && index.session(neighbour.id()).isEmpty()) {
                // not indexed yet (a rebuild reaches it in a later page): indexed with its window then
                continue;
            }
            index.upsert(neighbour, own, windowOf.get(neighbour.id()));
        }
        return embedded;
    }

    /**
     * The part of a session the windows of {@code touched} need. Writes mostly append to a session, so the last
     * few cubes are read first; the whole session (up to {@link #SESSION_LIMIT}) only when a touched cube is not
     * among them, or when every window of the session is rebuilt.
     */
    private List<MemCube> session(Session s, Set<CubeId> touched, boolean whole) {
        if (!whole) {
            int reach = windows.before() + windows.after();
            int tail = 2 * reach + touched.size();
            List<MemCube> last = cubes.sessionForSystem(s.space(), s.id(), tail);
            if (last.size() < tail) {
                return last; // the whole session
            }
            // every touched cube must lie far enough from the tail's start that the windows it changes are whole
            long deepEnough = java.util.stream.IntStream.range(reach, last.size())
                    .filter(i -> touched.contains(last.get(i).id())).count();
            if (deepEnough == touched.size()) {
                return last;
            }
        }
        return cubes.sessionForSystem(s.space(), s.id(), SESSION_LIMIT);
    }

    public static boolean searchable(MemCube cube) {
        return cube.state() != LifecycleState.DELETED && cube.state() != LifecycleState.MERGED
                && cube.state() != LifecycleState.QUARANTINED;
    }
}
