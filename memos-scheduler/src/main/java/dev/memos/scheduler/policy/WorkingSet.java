package dev.memos.scheduler.policy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.memos.kernel.event.EventType;
import dev.memos.kernel.event.KernelEvent;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.spi.CubeCache;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The working-set policy: per space, a Caffeine cache of at most {@code perSpace} live cubes. Caffeine's
 * admission (W-TinyLFU) keeps the most frequently read ones, so each space's hottest cubes are served
 * without the store and one busy space cannot push out another's. It consumes the bus (as its own group
 * per instance): a committed change of a cube drops it, a deleted space drops its whole cache, so changes
 * made through other instances reach this one's working set too.
 */
public final class WorkingSet implements CubeCache, Consumer<List<KernelEvent>> {
    public static final String GROUP = "working-set";

    private final int perSpace;
    private final Cache<String, Cache<CubeId, MemCube>> spaces;
    /** Which space's cache holds a cube: a read names only the cube, and must not ask every space. */
    private final ConcurrentHashMap<CubeId, String> spaceOf = new ConcurrentHashMap<>();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    public WorkingSet(int perSpace, int maxSpaces) {
        this.perSpace = perSpace;
        this.spaces = Caffeine.newBuilder().maximumSize(maxSpaces).expireAfterAccess(Duration.ofHours(1))
                .<String, Cache<CubeId, MemCube>>evictionListener((space, cache, cause) -> forget(cache))
                .build();
    }

    /** What the working set holds and how well it serves. */
    public record Stats(long cubes, long hits, long misses) {
    }

    @Override
    public MemCube get(CubeId id) {
        String space = spaceOf.get(id);
        Cache<CubeId, MemCube> cache = space == null ? null : spaces.getIfPresent(space);
        MemCube cube = cache == null ? null : cache.getIfPresent(id);
        if (cube == null) {
            misses.increment();
            return null;
        }
        hits.increment();
        return cube;
    }

    @Override
    public void put(MemCube cube) {
        spaceOf.put(cube.id(), cube.space());
        spaces.get(cube.space(), s -> Caffeine.newBuilder().maximumSize(perSpace)
                        .<CubeId, MemCube>evictionListener((id, evicted, cause) -> spaceOf.remove(id, s))
                        .build())
                .put(cube.id(), cube);
    }

    @Override
    public void invalidate(Collection<CubeId> ids) {
        for (CubeId id : ids) {
            String space = spaceOf.remove(id);
            Cache<CubeId, MemCube> cache = space == null ? null : spaces.getIfPresent(space);
            if (cache != null) {
                cache.invalidate(id);
            }
        }
    }

    private void forget(Cache<CubeId, MemCube> cache) {
        if (cache != null) {
            cache.asMap().keySet().forEach(spaceOf::remove);
        }
    }

    @Override
    public void accept(List<KernelEvent> events) {
        for (KernelEvent event : events) {
            if (event.type() == EventType.SPACE_DELETED) {
                forget(spaces.getIfPresent(event.space()));
                spaces.invalidate(event.space());
            } else if (event.cubeId() != null) {
                invalidate(List.of(event.cubeId()));
            }
        }
    }

    public Stats stats() {
        long cubes = 0;
        for (Cache<CubeId, MemCube> space : spaces.asMap().values()) {
            space.cleanUp();
            cubes += space.estimatedSize();
        }
        return new Stats(cubes, hits.sum(), misses.sum());
    }
}
