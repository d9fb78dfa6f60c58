package dev.memos.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memos.cubes.store.sql.JtaTransactions;
import dev.memos.cubes.store.sql.SqlOutbox;
import dev.memos.kernel.spi.EventBus;
import dev.memos.kernel.spi.IndexProgress;
import dev.memos.scheduler.bus.EventJson;
import dev.memos.scheduler.bus.InProcessEventBus;
import dev.memos.scheduler.bus.KafkaEventBus;
import dev.memos.scheduler.index.KafkaIndexProgress;
import dev.memos.scheduler.index.OutboxIndexProgress;
import dev.memos.scheduler.index.SearchIndexer;
import dev.memos.scheduler.policy.KafkaLease;
import dev.memos.scheduler.policy.Lease;
import dev.memos.scheduler.relay.OutboxRelay;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;

/** Wires the event bus (one key: memos.bus.kind), read-your-writes over it, and Kafka ingestion. */
public class BusProducer {

    /**
     * This instance's identity among instances sharing a broker, and the consumer groups it implies.
     *
     * @param sharedIndex the name of the search index every instance shares (a collection on a cluster), or empty
     *                    when each instance keeps an index of its own
     */
    public record Instance(String id, boolean kafka, Optional<String> sharedIndex) {
        /**
         * The group of a consumer every instance needs all events for (its own index, its own working set):
         * on Kafka one group per instance, named after it.
         */
        public String ownGroup(String base) {
            return kafka ? base + "-" + id : base;
        }

        /**
         * The search indexer's group: one per instance for an index of its own; one for every instance, named
         * after the shared index, when they share it (each event is indexed once, by whichever instance holds its
         * partition).
         */
        public String indexerGroup() {
            return sharedIndex.map(name -> SearchIndexer.GROUP + "-" + name).orElseGet(() -> ownGroup(SearchIndexer.GROUP));
        }

        /** The node whose cubes set aside by the indexer are this instance's (SqlSetAside): its own, or the shared index's. */
        public String indexNode() {
            return sharedIndex.map(name -> ("~" + name).substring(0, Math.min(64, name.length() + 1))).orElse(id);
        }
    }

    @Produces
    @Singleton
    Instance instance(MemosConfig config) {
        String id = config.instanceId().orElseGet(() -> storedInstanceId(Path.of(config.dataDir())));
        Optional<String> shared = switch (config.search().kind()) {
            case lucene -> Optional.empty();
            case solr -> Optional.of("solr-" + config.search().solr().collection());
        };
        return new Instance(id, config.bus().kind() == MemosConfig.Bus.Kind.kafka, shared);
    }

    private static String storedInstanceId(Path dataDir) {
        Path file = dataDir.resolve("instance.id");
        try {
            if (Files.exists(file)) {
                return Files.readString(file).strip();
            }
            Files.createDirectories(dataDir);
            String id = UUID.randomUUID().toString().substring(0, 8);
            Files.writeString(file, id + "\n");
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
    }

    @Produces
    @Singleton
    EventBus bus(MemosConfig config, ObjectMapper json, Instance instance) {
        return switch (config.bus().kind()) {
            case embedded -> new InProcessEventBus();
            case kafka -> new KafkaEventBus(new KafkaEventBus.Settings(bootstrap(config, "memos.bus.kind=kafka"),
                    config.bus().topic(), config.bus().partitions(), config.kafka().replication(), "memos-" + instance.id()),
                    new EventJson(json));
        };
    }

    /**
     * Who runs the lifecycle policies: on the Kafka bus the one member of the group
     * {@code memos.scheduler.group} holding the lease topic's single partition; embedded, this process.
     */
    @Produces
    @Singleton
    Lease lease(MemosConfig config, Instance instance) {
        if (!instance.kafka()) {
            return Lease.ALWAYS;
        }
        return new KafkaLease(new KafkaLease.Settings(bootstrap(config, "memos.bus.kind=kafka"),
                config.scheduler().leaseTopic(), config.scheduler().group(), "memos-" + instance.id(),
                config.kafka().replication()));
    }

    void close(@Disposes Lease lease) throws InterruptedException {
        if (lease instanceof KafkaLease kafka) {
            kafka.close();
        }
    }

    void close(@Disposes EventBus bus) throws Exception {
        if (bus instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    @Produces
    @Singleton
    IndexProgress progress(EventBus bus, SqlOutbox outbox, JtaTransactions tx, OutboxRelay relay, Instance instance) {
        IndexProgress published = new OutboxIndexProgress(outbox, tx, relay::nudge);
        return bus instanceof KafkaEventBus kafka ? new KafkaIndexProgress(published, kafka, instance.indexerGroup(),
                instance.sharedIndex().isPresent()) : published;
    }

    static String bootstrap(MemosConfig config, String why) {
        return config.kafka().bootstrapServers().orElseThrow(() -> new IllegalStateException(
                why + " needs memos.kafka.bootstrap-servers (environment MEMOS_KAFKA_BOOTSTRAP_SERVERS)"));
    }
}
