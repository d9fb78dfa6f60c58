package dev.memos.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memos.api.config.EmbeddingSettings;
import dev.memos.api.config.SearchSettings;
import dev.memos.cubes.embed.onnx.ModelPrefetch;
import dev.memos.cubes.embed.onnx.OnnxEmbedder;
import dev.memos.cubes.embed.openai.OpenAiEmbedder;
import dev.memos.cubes.search.lucene.LuceneSearchIndex;
import dev.memos.cubes.store.sql.JtaTransactions;
import dev.memos.cubes.store.sql.SqlCubeStore;
import dev.memos.cubes.store.sql.SqlDirectoryStore;
import dev.memos.cubes.store.sql.SqlOutbox;
import dev.memos.kernel.Retrieval;
import dev.memos.kernel.search.Ranking;
import dev.memos.kernel.spi.Embedder;
import dev.memos.kernel.spi.EventBus;
import dev.memos.kernel.spi.IndexProgress;
import dev.memos.kernel.spi.SearchIndex;
import dev.memos.scheduler.index.Reindexer;
import dev.memos.scheduler.index.SearchIndexer;
import dev.memos.scheduler.relay.OutboxRelay;
import dev.memos.scheduler.usage.UsageRecorder;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Executors;

/** Wires retrieval: embedder, index, relay and its consumers, usage, ranking. One key picks each back end. */
public class RetrievalProducer {

    @Produces
    @Singleton
    Embedder embedder(MemosConfig config, ObjectMapper json) {
        EmbeddingSettings e = config.embedding();
        if (e.kind() != EmbeddingSettings.Kind.onnx) {
            ModelPrefetch.discard();
        }
        return switch (e.kind()) {
            case onnx -> OnnxEmbedder.load(e.model(), e.queryPrefix(), e.threads());
            case openai -> new OpenAiEmbedder(json, e.openai().baseUrl().orElseThrow(() -> new IllegalStateException(
                    "memos.embedding.kind=openai needs memos.embedding.openai.base-url")),
                    e.openai().model(), e.openai().apiKey().orElse(null), e.queryPrefix(), e.openai().maxInputChars());
        };
    }

    void close(@Disposes Embedder embedder) throws Exception {
        if (embedder instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    @Produces
    @Singleton
    SearchIndex index(MemosConfig config, Embedder embedder) {
        SearchSettings search = config.search();
        return switch (search.kind()) {
            case lucene -> new LuceneSearchIndex(Path.of(search.indexDir().orElse(Path.of(config.dataDir(), "index")
                    .toString())), embedder.model(), embedder.dimension(), search.rebuildOnMismatch(),
                    search.vectorQuantization());
            case solr -> new dev.memos.solr.SolrSearchIndex(search.solr().urls().orElseThrow(
                    () -> new IllegalStateException("memos.search.kind=solr needs memos.search.solr.urls")),
                    search.solr().collection(), search.solr().shards(), search.solr().replicas(), embedder.model(),
                    embedder.dimension(), search.rebuildOnMismatch());
        };
    }

    void close(@Disposes SearchIndex index) throws Exception {
        if (index instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    @Produces
    @Singleton
    SearchIndexer indexer(SqlCubeStore cubes, SearchIndex index, Embedder embedder, JtaTransactions tx,
                          MemosConfig config, BusProducer.Instance instance, Clock clock) {
        SearchSettings.Context context = config.search().context();
        // a node with an index of its own keeps its own cubes set aside; nodes sharing one index share them
        return new SearchIndexer(cubes, index, embedder, tx,
                new dev.memos.kernel.search.ContextWindow(context.before(), context.after(), context.embedWindows()),
                new dev.memos.cubes.store.sql.SqlSetAside(instance.indexNode()), clock);
    }

    @Produces
    @Singleton
    dev.memos.scheduler.index.WindowEmbedding windowEmbedding(SearchIndexer indexer, SearchIndex index,
                                                              MemosConfig config, BusProducer.Instance instance,
                                                              dev.memos.scheduler.policy.Lease lease) {
        // one node embeds the windows of a shared index: the one that runs the scheduler's policies
        java.util.function.BooleanSupplier ours = instance.sharedIndex().isPresent() ? lease::held : () -> true;
        return new dev.memos.scheduler.index.WindowEmbedding(indexer, config.search().context().embedAfterIdle(),
                index::sinceLastSearch, ours);
    }

    @Produces
    @Singleton
    OutboxRelay relay(SqlOutbox outbox, EventBus bus, JtaTransactions tx, Clock clock, MemosConfig config,
                      BusProducer.Instance instance) {
        // on Kafka other instances may relay the same outbox (one database): then the relays take turns
        return new OutboxRelay(outbox, bus, tx, clock, config.search().relayBatch(), config.search().relayIdle(),
                instance.kafka());
    }

    @Produces
    @Singleton
    UsageRecorder usage(dev.memos.cubes.store.sql.SqlUsageStore cubes, JtaTransactions tx, Clock clock, MemosConfig config) {
        return new UsageRecorder(cubes, tx, clock, config.usage().heat());
    }

    @Produces
    @Singleton
    Reindexer reindexer(SqlCubeStore cubes, SearchIndex index, SearchIndexer indexer, JtaTransactions tx) {
        return new Reindexer(cubes, index, indexer, tx);
    }

    @Produces
    @Singleton
    Retrieval retrieval(SqlCubeStore cubes, SqlDirectoryStore directory, SearchIndex index, Embedder embedder,
                        UsageRecorder usage, IndexProgress progress, JtaTransactions tx, Clock clock,
                        MemosConfig config, dev.memos.cubes.store.sql.SqlAuditLog audit) {
        SearchSettings.Ranking r = config.search().ranking();
        Ranking ranking = new Ranking(new Ranking.Config(r.rrfK(), r.recencyWeight(), r.recencyHalfLife(),
                r.heatWeight(), config.usage().heat(), r.priorityWeight(), r.subjectWeight(), r.timeWeight()));
        return new Retrieval(cubes, directory, index, embedder, usage, progress, tx, clock,
                // short CPU-bound tasks, one per hybrid search: a virtual thread each, nothing to size or close
                Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("search-vector-list-", 0).factory()), audit,
                new Retrieval.Settings(ranking, config.search().waitTimeout(), config.search().time()));
    }
}
