package dev.memos.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memos.api.config.IngestSettings;
import dev.memos.cubes.store.sql.JtaTransactions;
import dev.memos.kernel.Directory;
import dev.memos.kernel.MemoryKernel;
import dev.memos.scheduler.ingest.IngestConsumer;
import dev.memos.scheduler.ingest.IngestProcessor;
import dev.memos.scheduler.ingest.SentenceExtractor;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Wires ingestion: the processor behind {@code POST /v1/ingest} and the Kafka ingest consumer when it is on. */
public class IngestionProducer {

    /** Turns ingest records into cubes: for the Kafka consumer and for {@code POST /v1/ingest}. */
    @Produces
    @Singleton
    IngestProcessor ingestProcessor(MemosConfig config, ObjectMapper json, MemoryKernel kernel, Directory directory,
                                    JtaTransactions tx, dev.memos.kernel.engine.EngineProvider engine) {
        IngestSettings in = config.ingest();
        dev.memos.kernel.spi.Extractor extractor = switch (in.extractor()) {
            case sentences -> new SentenceExtractor(in.minWords());
            case engine -> new dev.memos.scheduler.ingest.EngineExtractor(engine, in.extractorMaxTokens());
        };
        return new IngestProcessor(json, kernel, directory, tx, extractor, in.apiKey().orElse(null), in.maxRecordBytes());
    }

    /** The ingest consumer, built (topics created) but not started; null when ingestion is off. */
    @Produces
    @Singleton
    Ingestion ingestion(MemosConfig config, IngestProcessor processor, BusProducer.Instance instance) {
        IngestSettings in = config.ingest();
        if (!in.enabled()) {
            return new Ingestion(null);
        }
        return new Ingestion(new IngestConsumer(new IngestConsumer.Settings(BusProducer.bootstrap(config, "memos.ingest.enabled=true"),
                in.topic(), in.deadLetterTopic(), in.group(), "memos-" + instance.id(), 64, in.partitions(),
                config.kafka().replication()), processor));
    }

    void close(@Disposes Ingestion ingestion) throws InterruptedException {
        if (ingestion.consumer() != null) {
            ingestion.consumer().close();
        }
    }

    /** Kafka ingestion when enabled ({@link #consumer()} null when not). */
    public record Ingestion(IngestConsumer consumer) {
    }

}
