package dev.memos.api.config;

import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.util.Optional;

/** The inference engine behind the activation and parameter tiers and chat (docs/engine.md). */
public interface EngineSettings {
    /** {@code embedded} (llama.cpp in this process, needs {@code model}) or {@code remote} (a llama-server). */
    @WithDefault("embedded")
    Kind kind();

    enum Kind { embedded, remote }

    /** A GGUF model file. Unset: no engine; tier operations and chat answer 503 naming this setting. */
    Optional<String> model();

    Remote remote();

    /** A llama-server (llama.cpp's HTTP server) as the engine. */
    interface Remote {
        /** The server, e.g. {@code http://127.0.0.1:8081}; start it with {@code --slot-save-path}. */
        @WithName("base-url")
        Optional<String> baseUrl();

        /** Its {@code --api-key}, when it has one. */
        @WithName("api-key")
        Optional<String> apiKey();

        /** The slot memos uses. */
        @WithDefault("0")
        int slot();

        /** Adapters loaded into the server with {@code --lora}: {@code <file SHA-256>=<server adapter id>}, comma-separated. */
        Optional<java.util.List<String>> adapters();
    }

    /**
     * A directory holding libllama of your own llama.cpp build ({@code libggml-base.so}, {@code libggml.so},
     * {@code libllama.so}). Unset: the CPU build the memos jar carries, unpacked under
     * {@code <data-dir>/native}.
     */
    @WithName("library-dir")
    Optional<String> libraryDir();

    /** Tokens of the inference context: memories, conversation and answer together. */
    @WithName("context-size")
    @WithDefault("4096")
    int contextSize();

    /** CPU threads for inference; 0 uses every core. */
    @WithDefault("0")
    int threads();

    /** Tokens evaluated per decode call. */
    @WithName("batch-size")
    @WithDefault("512")
    int batchSize();

    /** The largest LoRA adapter accepted by POST /v1/spaces/{space}/adapters, in bytes. */
    @WithName("max-adapter-bytes")
    @WithDefault("67108864")
    long maxAdapterBytes();
}
