package dev.memos.api;

import dev.memos.api.config.EngineSettings;
import dev.memos.cubes.engine.llama.LlamaEngine;
import dev.memos.cubes.engine.llama.LlamaNatives;
import dev.memos.cubes.store.sql.JtaTransactions;
import dev.memos.cubes.store.sql.SqlBlobStore;
import dev.memos.cubes.store.sql.SqlCubeStore;
import dev.memos.cubes.store.sql.SqlDirectoryStore;
import dev.memos.cubes.store.sql.SqlOutbox;
import dev.memos.kernel.Chat;
import dev.memos.kernel.MemoryKernel;
import dev.memos.kernel.Retrieval;
import dev.memos.kernel.Tiers;
import dev.memos.kernel.engine.EngineProvider;
import dev.memos.kernel.engine.InferenceEngine;
import dev.memos.kernel.error.MemosException;
import dev.memos.kernel.error.UnavailableException;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/** Wires the activation and parameter tiers: the configured inference engine (if any), tiers and chat. */
public class TierProducer {
    private static final Logger LOG = Logger.getLogger(TierProducer.class);

    /**
     * The engine {@code memos.engine.model} names, loaded at start. A model that fails to load does not stop the
     * service: every tier operation then answers 503 with the reason.
     */
    static final class ConfiguredEngine implements EngineProvider, AutoCloseable {
        private final InferenceEngine engine;
        private final RuntimeException failure;

        ConfiguredEngine(MemosConfig config, com.fasterxml.jackson.databind.ObjectMapper json) {
            InferenceEngine loaded = null;
            RuntimeException failed = null;
            boolean remote = config.engine().kind() == EngineSettings.Kind.remote;
            String model = remote ? config.engine().remote().baseUrl().orElse("(memos.engine.remote.base-url unset)")
                    : config.engine().model().orElseThrow();
            try {
                long start = System.nanoTime();
                loaded = remote ? remote(config, json) : embedded(config, model);
                LOG.infof("inference engine: %s, model %s (%s, %d layers), context %d tokens, loaded in %d ms",
                        loaded.description(), loaded.model().label(), loaded.model().architecture(),
                        loaded.model().layers(), loaded.context().contextSize(), (System.nanoTime() - start) / 1_000_000);
            } catch (MemosException | IllegalArgumentException e) {
                failed = new UnavailableException("the inference engine could not load " + model + ": "
                        + e.getMessage() + " (memos.engine.*, docs/engine.md)", e);
                LOG.error(failed.getMessage());
            }
            this.engine = loaded;
            this.failure = failed;
        }

        private static InferenceEngine embedded(MemosConfig config, String model) {
            Path libraries = LlamaNatives.directory(config.engine().libraryDir().map(Path::of),
                    Path.of(config.dataDir(), "native"));
            int threads = config.engine().threads() > 0 ? config.engine().threads()
                    : Runtime.getRuntime().availableProcessors();
            return LlamaEngine.open(libraries, new LlamaEngine.Settings(Path.of(model), config.engine().contextSize(),
                    threads, config.engine().batchSize()));
        }

        private static InferenceEngine remote(MemosConfig config, com.fasterxml.jackson.databind.ObjectMapper json) {
            EngineSettings.Remote r = config.engine().remote();
            String url = r.baseUrl().orElseThrow(() -> new dev.memos.kernel.error.NotConfiguredException(
                    "memos.engine.kind=remote needs memos.engine.remote.base-url", "memos.engine.remote.base-url"));
            java.util.Map<String, Integer> adapters = new java.util.LinkedHashMap<>();
            for (String entry : r.adapters().orElse(java.util.List.of())) {
                String[] parts = entry.split("=");
                if (parts.length != 2 || !parts[0].strip().matches("[0-9a-f]{64}")) {
                    throw new IllegalArgumentException("memos.engine.remote.adapters takes <sha256>=<id>, not " + entry);
                }
                adapters.put(parts[0].strip(), Integer.parseInt(parts[1].strip()));
            }
            return new dev.memos.cubes.engine.remote.LlamaServerEngine(new dev.memos.cubes.engine.remote.LlamaServerEngine
                    .Settings(java.net.URI.create(url), r.apiKey().orElse(null), r.slot(), adapters, null), json);
        }

        @Override
        public Optional<InferenceEngine> current() {
            return Optional.ofNullable(engine);
        }

        @Override
        public InferenceEngine require() {
            if (engine == null) {
                throw failure;
            }
            return engine;
        }

        @Override
        public void close() {
            if (engine != null) {
                engine.close();
            }
        }
    }

    @Produces
    @Singleton
    EngineProvider engine(MemosConfig config, com.fasterxml.jackson.databind.ObjectMapper json) {
        boolean configured = config.engine().kind() == EngineSettings.Kind.remote || config.engine().model().isPresent();
        return configured ? new ConfiguredEngine(config, json) : EngineProvider.NONE;
    }

    void close(@Disposes EngineProvider engine) {
        if (engine instanceof ConfiguredEngine configured) {
            configured.close();
        }
    }

    /** Loads the model at start rather than at the first chat. */
    void load(@Observes StartupEvent start, EngineProvider engine) {
        engine.current();
    }

    @Produces
    @Singleton
    Tiers tiers(SqlCubeStore cubes, SqlDirectoryStore directory, SqlBlobStore blobs, SqlOutbox outbox,
                JtaTransactions tx, Clock clock, EngineProvider engine) {
        return new Tiers(cubes, directory, blobs, outbox, tx, clock, engine);
    }

    @Produces
    @Singleton
    dev.memos.kernel.Distillation distillation(SqlCubeStore cubes, SqlDirectoryStore directory, JtaTransactions tx,
                                               Clock clock) {
        return new dev.memos.kernel.Distillation(cubes, directory, tx, clock);
    }

    @Produces
    @Singleton
    dev.memos.kernel.Contradictions contradictions(Retrieval retrieval, MemoryKernel kernel, EngineProvider engine) {
        return new dev.memos.kernel.Contradictions(retrieval, kernel, engine);
    }

    @Produces
    @Singleton
    Chat chat(Retrieval retrieval, Tiers tiers, MemoryKernel kernel, SqlCubeStore cubes, SqlDirectoryStore directory,
              JtaTransactions tx, EngineProvider engine) {
        return new Chat(retrieval, tiers, kernel, cubes, directory, tx, engine);
    }
}
