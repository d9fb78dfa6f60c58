package dev.memos.api.config;

import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.util.Optional;

/** memos.ingest.* settings. */
public interface IngestSettings {
    /** Consume the ingest topic (needs memos.kafka.bootstrap-servers). */
    @WithDefault("false")
    boolean enabled();

    /** The Kafka topic ingest records are read from (created when missing). */
    @WithDefault("memos.ingest")
    String topic();

    /** Where records that can never be written go, with the reason in headers. */
    @WithDefault("memos.ingest.dlq")
    String deadLetterTopic();

    /** The consumer group; instances with the same group split the topic's partitions. */
    @WithDefault("memos-ingest")
    String group();

    /** Partitions of newly created ingest and dead-letter topics. */
    @WithDefault("6")
    int partitions();

    /**
     * The API key ingestion acts with for records that carry none (a service principal's key;
     * environment MEMOS_INGEST_API_KEY). Unset, every record must carry its own apiKey.
     */
    Optional<String> apiKey();

    /** Records larger than this go to the dead-letter topic. */
    @WithDefault("1048576")
    int maxRecordBytes();

    /** A sentence with fewer words joins its neighbour rather than becoming a fact of its own. */
    @WithDefault("3")
    int minWords();

    /**
     * How conversations and documents become facts: {@code sentences} (offline, one fact per sentence) or
     * {@code engine} (the inference engine writes grammar-constrained JSON facts; needs an engine).
     */
    @WithDefault("sentences")
    Extractor extractor();

    enum Extractor { sentences, engine }

    /** The most tokens the engine extractor writes per record. */
    @WithName("extractor-max-tokens")
    @WithDefault("512")
    int extractorMaxTokens();
}
