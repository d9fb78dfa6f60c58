package dev.memos.scheduler.index;

import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.spi.SetAside;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Cubes set aside, kept in memory: for an indexer without a database (tests, benchmarks, the in-memory back end). */
public final class MemorySetAside implements SetAside {
    private final Map<CubeId, Entry> entries = new ConcurrentHashMap<>();

    @Override
    public void record(CubeId cube, String space, String reason, Instant at) {
        String why = reason.length() <= 512 ? reason : reason.substring(0, 511) + "…"; // as the table keeps it
        entries.merge(cube, new Entry(cube, space, why, 1, at, at),
                (was, now) -> new Entry(cube, space, why, was.attempts() + 1, was.firstAt(), at));
    }

    @Override
    public void clear(Collection<CubeId> cubes) {
        cubes.forEach(entries::remove);
    }

    @Override
    public void clearSpace(String space) {
        entries.values().removeIf(e -> e.space().equals(space));
    }

    @Override
    public List<Entry> list(int limit) {
        return entries.values().stream().sorted(Comparator.comparing(Entry::firstAt).thenComparing(e -> e.cube().value()))
                .limit(limit).toList();
    }

    @Override
    public long count() {
        return entries.size();
    }
}
