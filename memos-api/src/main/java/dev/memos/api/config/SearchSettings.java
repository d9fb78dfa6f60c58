package dev.memos.api.config;

import io.smallrye.config.WithDefault;

import java.util.Optional;

/** memos.search.* settings. */
public interface SearchSettings {
    /** Which search index memos keeps its searchable cubes in. */
    enum Kind {
        /** An embedded Apache Lucene index on local disk, one full replica per node (the default). */
        lucene,
        /** A collection on SolrCloud shared by every node, through SolrJ ({@code memos.search.solr.*}). */
        solr
    }

    /** The search index: {@code lucene} (embedded, on local disk) or {@code solr} (SolrCloud). */
    @WithDefault("lucene")
    Kind kind();

    /** Where the Lucene index lives; default {@code <data-dir>/index}. */
    Optional<String> indexDir();

    /**
     * How the embedded Lucene index keeps vectors for its HNSW graph: {@code int7} (a byte a dimension, a quarter of
     * the bytes a search maps and reads), {@code int4} (half a byte) or {@code none} (32-bit floats). Quantized, each
     * search's beam is scored again with the full vectors, read from disk and not mapped (ADR 0019), so hits carry
     * exact scores. Segments written before a change stay readable.
     */
    @WithDefault("int7")
    dev.memos.cubes.search.lucene.VectorQuantization vectorQuantization();

    Solr solr();

    /** The SolrCloud search index (where {@code memos.search.kind=solr}); see docs/solr.md. */
    interface Solr {
        /** Base URLs of some of the cluster's nodes, comma-separated ({@code http://solr1:8983/solr,...}). */
        Optional<java.util.List<String>> urls();

        /** The collection; memos creates it with its configset ({@code config/solr/memos}) when it is missing. */
        @WithDefault("memos")
        String collection();

        /** Shards of the collection when memos creates it (a space's cubes share one). */
        @WithDefault("2")
        int shards();

        /** Replicas of each shard when memos creates the collection. */
        @WithDefault("1")
        int replicas();
    }

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

        /** How long the recency boost takes to halve. */
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
