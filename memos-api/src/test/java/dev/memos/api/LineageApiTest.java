package dev.memos.api;

import dev.memos.kernel.MemoryKernel;
import dev.memos.kernel.event.Decision;
import dev.memos.kernel.model.CubeId;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Map;

/** The lineage API on the embedded lineage store (tables in H2). */
@QuarkusTest
class LineageApiTest extends LineageApiContract {
    @Inject
    MemoryKernel kernel;

    @Override
    protected String fuse(String key, String first, String second) {
        return kernel.decisions().consolidate(List.of(CubeId.parse(first), CubeId.parse(second)),
                new Decision("consolidation", "identical text", Map.of())).orElseThrow().id().toString();
    }
}
