package dev.memos.api;

import dev.memos.testkit.Scratch;
import dev.memos.testkit.ServiceProcess;
import org.junit.jupiter.api.BeforeAll;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** {@link ErasureScenarios} on the packaged service with its embedded H2 database, index and lineage. */
class ErasureIT extends ErasureScenarios {
    private static Path dataDir;

    @BeforeAll
    static void start() throws Exception {
        dataDir = Scratch.directory("memos-erasure");
        start(ServiceProcess.packagedJar(), dataDir, Map.of());
    }

    @Override
    protected List<Path> scanned() {
        return List.of(dataDir);
    }

    @Override
    protected Path databaseFiles() {
        return dataDir.resolve("db");
    }
}
