package dev.memos.kernel.engine;

import java.util.Optional;

/** The inference engine of this memos, if it has one: engines are optional, and may fail to load. */
public interface EngineProvider {

    /** The engine, when one is configured and loaded. */
    Optional<InferenceEngine> current();

    /**
     * The engine.
     *
     * @throws dev.memos.kernel.error.NotConfiguredException naming the setting, when none is configured
     * @throws dev.memos.kernel.error.UnavailableException with the reason, when the configured one failed to load
     */
    InferenceEngine require();

    /** Without an engine: every tier operation answers that {@code memos.engine.model} is not set. */
    EngineProvider NONE = new EngineProvider() {
        @Override
        public Optional<InferenceEngine> current() {
            return Optional.empty();
        }

        @Override
        public InferenceEngine require() {
            throw new dev.memos.kernel.error.NotConfiguredException("this memos has no inference engine: set "
                    + "memos.engine.model to a GGUF model file (docs/engine.md)", "memos.engine.model");
        }
    };
}
