package dev.memos.api.config;

import io.smallrye.config.WithDefault;

import java.util.Optional;

/** memos.embedding.* settings. */
public interface EmbeddingSettings {
    String DEFAULT_MODEL = "bge-small-en-v1.5-q";

    /** {@code onnx}: the local model shipped in a jar; {@code openai}: an OpenAI-compatible /v1/embeddings endpoint. */
    @WithDefault("onnx")
    Kind kind();

    enum Kind { onnx, openai }

    /** The local model's name: resources {@code <model>.onnx} and {@code <model>-tokenizer.json} on the classpath. */
    @WithDefault(DEFAULT_MODEL)
    String model();

    /** Prepended to queries (bge models are trained with this instruction). */
    @WithDefault("Represent this sentence for searching relevant passages: ")
    String queryPrefix();

    /** ONNX Runtime threads. */
    @WithDefault("2")
    int threads();

    OpenAi openai();

    interface OpenAi {
        /** Base URL, e.g. http://127.0.0.1:11434 ({@code /v1/embeddings} is appended). */
        Optional<String> baseUrl();

        /** The model name sent with each request. */
        @WithDefault("text-embedding-3-small")
        String model();

        /** Sent as a Bearer token when set (environment: MEMOS_EMBEDDING_OPENAI_API_KEY). */
        Optional<String> apiKey();

        /**
         * Longer texts are cut to this many characters before they are sent (the whole text is still stored and
         * keyword-searchable). A text the server refuses all the same is set aside (docs/operations.md).
         */
        @WithDefault("8000")
        int maxInputChars();
    }
}
