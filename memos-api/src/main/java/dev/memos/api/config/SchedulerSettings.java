package dev.memos.api.config;

import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** memos.scheduler.* settings. */
public interface SchedulerSettings {
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
        /** Compile hot spaces' working sets into activation cubes (only with an inference engine). */
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

        /** How long an ACTIVATED cube goes without access before it is archived. */
        @WithDefault("30d")
        java.time.Duration coldAfter();
    }
}
