package dev.memos.kernel.spi;

import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.MemCube;

import java.util.Collection;

/**
 * The working set: live versions of hot cubes, served without the store. Grants are still checked at
 * every read. The kernel drops a cube it changes once its transaction ends; implementations also drop
 * cubes named by committed events (other instances' changes) and by usage flushes.
 */
public interface CubeCache {
    CubeCache NONE = new CubeCache() {
        @Override
        public MemCube get(CubeId id) {
            return null;
        }

        @Override
        public void put(MemCube cube) {
        }

        @Override
        public void invalidate(Collection<CubeId> ids) {
        }
    };

    /** The cached live version, or null. */
    MemCube get(CubeId id);

    void put(MemCube cube);

    void invalidate(Collection<CubeId> ids);
}
