package dev.memos.api;

import dev.memos.api.config.EmbeddingSettings;
import dev.memos.api.config.EngineSettings;
import dev.memos.api.config.IngestSettings;
import dev.memos.api.config.LineageSettings;
import dev.memos.api.config.SchedulerSettings;
import dev.memos.api.config.SearchSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.util.Optional;

/** memos' own configuration, under the {@code memos.} prefix. */
@ConfigMapping(prefix = "memos")
public interface MemosConfig {

    /**
     * Directory for everything memos keeps on disk: the embedded database, the generated admin key,
     * the search index, unpacked native libraries. A relative path must start with {@code ./}.
     */
    @WithName("data-dir")
    @WithDefault("./data")
    String dataDir();

    Admin admin();

    Api api();

    SearchSettings search();

    EmbeddingSettings embedding();

    Usage usage();

    Bus bus();

    Kafka kafka();

    IngestSettings ingest();

    SchedulerSettings scheduler();

    LineageSettings lineage();

    EngineSettings engine();

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

    /**
     * This instance's name among several sharing one broker; it names the instance's own consumer groups
     * (its search index needs every event). Default: generated once into {@code <data-dir>/instance.id}.
     */
    Optional<String> instanceId();

    interface Bus {
        /** {@code embedded}: events go from the outbox to in-process consumers; {@code kafka}: through Kafka. */
        @WithDefault("embedded")
        Kind kind();

        enum Kind { embedded, kafka }

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

    interface Admin {
        /**
         * The administrator's API key (environment: {@code MEMOS_ADMIN_KEY}), at least 24 characters.
         * Unset, a key is generated on first start and written once to {@code <data-dir>/admin.key}.
         */
        Optional<String> key();
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
