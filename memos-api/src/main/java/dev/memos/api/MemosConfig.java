package dev.memos.api;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.util.Optional;

/** memos' own configuration, under the {@code memos.} prefix. */
@ConfigMapping(prefix = "memos")
public interface MemosConfig {

    /**
     * Directory for everything memos keeps on disk: the embedded database, the generated admin key,
     * (later) the search index. A relative path must start with {@code ./}.
     */
    @WithName("data-dir")
    @WithDefault("./data")
    String dataDir();

    Admin admin();

    Api api();

    Search search();

    Embedding embedding();

    Usage usage();

    Bus bus();

    Kafka kafka();

    Ingest ingest();

    Scheduler scheduler();

    Lineage lineage();

    Engine engine();

    Erasure erasure();

    Audit audit();

    Labels labels();

    QuarantineSettings quarantine();

    Mcp mcp();

    /** The Model Context Protocol endpoint at {@code /mcp} (docs/agents.md). */
    interface Mcp {
        /**
         * Browser origins whose requests the endpoint takes (a request with an {@code Origin} header from any other is
         * refused with 403, against DNS rebinding); requests without the header (every non-browser client) are taken.
         */
        @WithName("allowed-origins")
        java.util.Optional<java.util.Set<String>> allowedOrigins();

        /** The longest a tool call may run (a chat with a slow engine). */
        @WithName("request-timeout")
        @WithDefault("5m")
        java.time.Duration requestTimeout();
    }

    /** Which new memories are kept out of recall until a space administrator releases them (docs/privacy.md). */
    interface QuarantineSettings {
        /** Quarantine text that addresses the model (instructions to ignore earlier ones, control tokens, tool calls). */
        @WithDefault("true")
        boolean injections();

        /** Sources whose memories are all quarantined: CONVERSATION, DOCUMENT, API, KAFKA, DERIVATION. */
        @WithName("untrusted-sources")
        java.util.Optional<java.util.List<String>> untrustedSources();

        /** Principal ids or names whose memories are all quarantined. */
        @WithName("untrusted-actors")
        java.util.Optional<java.util.List<String>> untrustedActors();
    }

    /** Sensitivity labels added on write by offline detectors of personal data (docs/privacy.md). */
    interface Labels {
        /**
         * The detectors that run on every write and text update: any of email, phone, payment-card, iban,
         * ip-address, national-id; {@code none} for none.
         */
        @WithDefault("email,phone,payment-card,iban,ip-address,national-id")
        java.util.List<String> detectors();
    }

    /** The audit trail (docs/privacy.md). */
    interface Audit {
        /** How long audit entries are kept; older ones are removed once a day (the first kept becomes the anchor). */
        @WithDefault("365d")
        java.time.Duration retention();
    }

    /** Erasure of deleted cubes and spaces, and its reports (docs/privacy.md). */
    interface Erasure {
        /** How long after a delete its erasure report must be complete; a check still failing then marks it FAILED. */
        @WithDefault("60s")
        java.time.Duration deadline();

        /** How often each instance works through pending erasures. */
        @WithDefault("2s")
        java.time.Duration interval();
    }

    /** The inference engine behind the activation and parameter tiers and chat (docs/engine.md). */
    interface Engine {
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

    interface Lineage {
        /** Where the lineage graph lives: {@code embedded} (tables in the memos database) or {@code neo4j}. */
        @WithDefault("embedded")
        Kind kind();

        Neo4j neo4j();

        enum Kind { embedded, neo4j }

        interface Neo4j {
            @WithDefault("bolt://127.0.0.1:7687")
            String uri();

            /** Leave unset for a server without authentication. */
            Optional<String> user();

            Optional<String> password();

            @WithDefault("neo4j")
            String database();

            /** A Cypher schema file to apply at start instead of the built-in copy of config/neo4j/lineage-schema.cypher. */
            @WithName("schema-file")
            Optional<String> schemaFile();
        }
    }

    interface Scheduler {
        /** How often the timer-driven policies run. */
        @WithDefault("1m")
        java.time.Duration interval();

        /** Cubes a policy handles per transaction. */
        @WithDefault("200")
        int batch();

        /** On the Kafka bus: the consumer group whose one lease holder runs the policies. */
        @WithDefault("memos-scheduler")
        String group();

        /** On the Kafka bus: the single-partition topic the lease is a partition of (created when missing). */
        @WithName("lease-topic")
        @WithDefault("memos.scheduler.lease")
        String leaseTopic();

        Ttl ttl();

        Demotion demotion();

        Consolidation consolidation();

        WorkingSet workingSet();

        Activation activation();

        /** Keeps each hot space's working set compiled into an activation cube (with an inference engine). */
        interface Activation {
            @WithDefault("true")
            boolean enabled();

            /** Token budget of a space's memory block. */
            @WithName("max-tokens")
            @WithDefault("1024")
            int maxTokens();

            /** Byte budget of a space's KV state; a larger one is retired at once. */
            @WithName("max-bytes")
            @WithDefault("268435456")
            long maxBytes();

            /** Spaces looked at per run, hottest first. */
            @WithName("max-spaces")
            @WithDefault("100")
            int maxSpaces();

            /** Hottest cubes considered per space. */
            @WithDefault("200")
            int candidates();
        }

        interface WorkingSet {
            /** Serve reads of each space's hottest cubes from memory (grants are still checked). */
            @WithDefault("true")
            boolean enabled();

            /** Cubes kept per space. */
            @WithDefault("1000")
            int sizePerSpace();

            /** Spaces with a working set at once (least recently used go first). */
            @WithDefault("1000")
            int maxSpaces();
        }

        interface Consolidation {
            /**
             * Fuse GENERATED/ACTIVATED cubes of a space with identical text into one (sources become MERGED).
             * Off by default: it rewrites what users wrote, and its duplicate query scans every live text.
             */
            @WithDefault("false")
            boolean enabled();

            /** Also fuse near-duplicates: close embeddings and no content words beyond the most complete wording's. */
            @WithName("near-duplicates")
            @WithDefault("true")
            boolean nearDuplicates();

            /** The least cosine similarity of near-duplicates. */
            @WithDefault("0.9")
            double similarity();
        }

        interface Ttl {
            /** Delete (and purge) cubes past their expiresAt. FROZEN cubes never expire. */
            @WithDefault("true")
            boolean enabled();
        }

        interface Demotion {
            /** Archive ACTIVATED cubes nobody accessed for cold-after. */
            @WithDefault("true")
            boolean enabled();

            @WithDefault("30d")
            java.time.Duration coldAfter();
        }
    }

    /**
     * This instance's name among several sharing one broker; it names the instance's own consumer groups
     * (its search index needs every event). Default: generated once into {@code <data-dir>/instance.id}.
     */
    Optional<String> instanceId();

    interface Bus {
        /** {@code embedded}: events go from the outbox to in-process consumers; {@code kafka}: through Kafka. */
        @WithDefault("embedded")
        String kind();

        /** The Kafka topic carrying kernel events (docs/events.md), created when missing. */
        @WithDefault("memos.events")
        String topic();

        /** Partitions of a newly created events topic; events are keyed by space. */
        @WithDefault("6")
        int partitions();
    }

    interface Kafka {
        /** host:port[,host:port…] of the Kafka brokers; required when the bus is kafka or ingestion is on. */
        Optional<String> bootstrapServers();

        /** Replication factor of topics memos creates. */
        @WithDefault("1")
        short replication();
    }

    interface Ingest {
        /** Consume the ingest topic (needs memos.kafka.bootstrap-servers). */
        @WithDefault("false")
        boolean enabled();

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
        String extractor();

        /** The most tokens the engine extractor writes per record. */
        @WithName("extractor-max-tokens")
        @WithDefault("512")
        int extractorMaxTokens();
    }

    interface Admin {
        /**
         * The administrator's API key (environment: {@code MEMOS_ADMIN_KEY}), at least 24 characters.
         * Unset, a key is generated on first start and written once to {@code <data-dir>/admin.key}.
         */
        Optional<String> key();
    }

    interface Search {
        /** Where the Lucene index lives; default {@code <data-dir>/index}. */
        Optional<String> indexDir();

        /** When the index was built with another embedding model or dimension: empty it and rebuild. */
        @WithDefault("false")
        boolean rebuildOnMismatch();

        /** Rebuild the index from the database at every start (tests, or after restoring a database backup). */
        @WithDefault("false")
        boolean rebuildOnStart();

        /** How long a search with read-your-writes consistency waits for the index to catch up. */
        @WithDefault("5s")
        java.time.Duration waitTimeout();

        /** Outbox events the relay publishes per batch (the indexer embeds a batch at once). */
        @WithDefault("128")
        int relayBatch();

        /** How long the relay sleeps when the outbox is empty. */
        @WithDefault("50ms")
        java.time.Duration relayIdle();

        Ranking ranking();

        interface Ranking {
            /**
             * Reciprocal-rank-fusion constant: rank r in a list scores 1 / (k + r). 10 beat the usual 60
             * on the LoCoMo dev subset (docs/benchmarks.md).
             */
            @WithDefault("10")
            int rrfK();

            /** Boost of a cube recorded just now; halves every recency-half-life. */
            @WithDefault("0.05")
            double recencyWeight();

            @WithDefault("30d")
            java.time.Duration recencyHalfLife();

            /** Largest boost from heat (approached as heat grows). */
            @WithDefault("0.10")
            double heatWeight();

            /** Boost of priority 100 (penalty of -100). */
            @WithDefault("0.20")
            double priorityWeight();

            /**
             * Boost of a cube whose data subject the query names: the score is multiplied by 1 + this. 0 turns it
             * off. 1.0 lifted LoCoMo dev R@10 most of 0.3, 0.6 and 1.0 (docs/benchmarks.md).
             */
            @WithDefault("1.0")
            double subjectWeight();

            /**
             * Boost of a cube whose event time (validFrom, else its recording time) lies in the time the query names
             * ("in May 2023", "last week"): the score is multiplied by 1 + this. Applies where
             * {@code memos.search.time} (or the request's {@code time}) is {@code BOOST}.
             */
            @WithDefault("1.0")
            double timeWeight();
        }

        /**
         * What a time the query names does when a request does not say: {@code OFF} (nothing), {@code BOOST}
         * (cubes about that time rank higher) or {@code FILTER} (only they are found). Relative times resolve
         * against the request's {@code timeReference} (default: validAt, asOf, or now), in UTC.
         */
        @WithDefault("BOOST")
        dev.memos.kernel.search.SearchRequest.TimeUse time();

        Context context();

        /**
         * Context windows: each message is also indexed with the texts of its neighbours in the same session
         * (in the order they were written), as a second keyword field and a second vector: at first its own vector
         * plus half of each neighbour's, normalised (no extra embedding on the write path), then, when
         * {@code embed-windows} is on and the indexer is idle, the embedding of the window's text. Hits still point
         * at the single cube.
         */
        interface Context {
            /** Neighbours before a cube in its window; 0 with {@code after} 0 turns windows off. */
            @WithDefault("2")
            int before();

            /** Neighbours after a cube in its window. */
            @WithDefault("1")
            int after();

            /**
             * Embed each window's text when the indexer is idle, in place of the mix of its cubes' vectors (better
             * recall, docs/benchmarks.md; one embedding of a few turns per window, off the write path).
             */
            @WithDefault("true")
            boolean embedWindows();

            /** How long the indexer must have been idle before windows are embedded. */
            @WithDefault("500ms")
            java.time.Duration embedAfterIdle();
        }
    }

    interface Embedding {
        String DEFAULT_MODEL = "bge-small-en-v1.5-q";

        /** {@code onnx}: the local model shipped in a jar; {@code openai}: an OpenAI-compatible /v1/embeddings endpoint. */
        @WithDefault("onnx")
        String kind();

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

    interface Usage {
        /** How often counted accesses are written to the store. */
        @WithDefault("1s")
        java.time.Duration flushInterval();

        /** Heat of a cube never recalled halves after this long without access. */
        @WithDefault("7d")
        java.time.Duration heatHalfLife();

        /**
         * The forgetting curve: each recall (read or search hit) slows the decay. A cube recalled n times decays
         * with the half-life × (1 + log2(1 + n)) and counts as idle for demotion that much minus one half-life after
         * its last access. false: every cube decays alike and is idle from its last access.
         */
        @WithDefault("true")
        boolean recallStrengthens();

        default dev.memos.kernel.search.Heat heat() {
            return new dev.memos.kernel.search.Heat(heatHalfLife(), recallStrengthens());
        }
    }

    interface Api {
        /** The largest request body accepted, in bytes; larger ones get 413. */
        @WithDefault("1048576")
        long maxBodyBytes();

        /**
         * The longest request target (path and query) accepted, in characters; longer ones get 414 with a problem
         * document. Keep it below {@code quarkus.http.limits.max-initial-line-length}, past which the HTTP decoder
         * answers 414 alone, with an empty body.
         */
        @WithDefault("8192")
        int maxUriChars();

        /**
         * The largest total of request headers accepted, in bytes; larger ones get 431 with a problem document. Keep
         * it below {@code quarkus.http.limits.max-header-size}, past which the decoder answers 431 with an empty body.
         */
        @WithDefault("32768")
        int maxHeaderBytes();

        /**
         * How long an API key that authenticated is accepted again without asking the database; {@code 0}
         * asks at every request. Another instance's change of a key takes effect here within this time.
         */
        @WithName("key-cache")
        @WithDefault("30s")
        java.time.Duration keyCache();
    }
}
