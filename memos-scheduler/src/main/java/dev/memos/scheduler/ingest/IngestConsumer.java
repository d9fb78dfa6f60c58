package dev.memos.scheduler.ingest;

import dev.memos.scheduler.Await;
import dev.memos.scheduler.bus.KafkaTopics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Consumes the ingest topic as a member of a consumer group: each record goes through the
 * {@link IngestProcessor}; a rejected record goes to the dead-letter topic with its reason in headers
 * (and the consumer moves on); a failure that may pass (database away) rewinds to that record and
 * retries the batch with back-off, so a good record is never dropped. A poll's batch is written in one
 * transaction when none of its records is refused. Offsets are committed only after the batch was written
 * and its refused records dead-lettered; a crash replays the batch, and idempotency keys make the replay
 * create nothing twice (a refused record may then reach the dead-letter topic twice).
 */
public final class IngestConsumer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(IngestConsumer.class);

    public record Settings(String bootstrapServers, String topic, String deadLetterTopic, String group, String clientId,
                           int maxPollRecords, int partitions, short replication) {
    }

    /** Counters since start, for metrics. */
    public record Stats(long processed, long cubes, long deadLettered, long retried, long lag) {
    }

    private final Settings settings;
    private final IngestProcessor processor;
    private final KafkaProducer<byte[], byte[]> dlq;
    private final AtomicLong processed = new AtomicLong();
    private final AtomicLong cubes = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong lag = new AtomicLong();
    private volatile int assigned;
    private volatile boolean running;
    private volatile KafkaConsumer<byte[], byte[]> kafka;
    private Thread thread;
    private final Admin admin;

    public IngestConsumer(Settings settings, IngestProcessor processor) {
        this.settings = settings;
        this.processor = processor;
        this.admin = Admin.create(Map.of("bootstrap.servers", settings.bootstrapServers(),
                "client.id", settings.clientId() + "-ingest-admin"));
        KafkaTopics.ensure(admin, settings.bootstrapServers(), settings.topic(), settings.partitions(), settings.replication());
        KafkaTopics.ensure(admin, settings.bootstrapServers(), settings.deadLetterTopic(), settings.partitions(),
                settings.replication());
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, settings.clientId() + "-dlq");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.dlq = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = Thread.ofPlatform().name("memos-ingest").daemon().start(this::run);
    }

    /**
     * The records the whole group has yet to handle, from its committed offsets on every partition
     * ({@link dev.memos.scheduler.bus.GroupBacklog}); NaN when the broker cannot be asked. Unlike
     * {@link Stats#lag()} (this member's own partitions), it is not 0 while a rebalance leaves this member none.
     */
    public double backlog() {
        return dev.memos.scheduler.bus.GroupBacklog.of(admin, settings.group(), settings.topic());
    }

    public Stats stats() {
        return new Stats(processed.get(), cubes.get(), deadLettered.get(), retried.get(), lag.get());
    }

    private void run() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.group());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.clientId() + "-ingest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.maxPollRecords());
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 600_000);
        dev.memos.scheduler.bus.GroupMembership.staticMember(p, settings.clientId() + "-ingest");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        try {
            kafka = consumer;
            consumer.subscribe(List.of(settings.topic()));
            long backoff = 0;
            while (running) {
                ConsumerRecords<byte[], byte[]> records = ConsumerRecords.empty();
                try {
                    records = consumer.poll(Duration.ofMillis(200));
                    if (!records.isEmpty()) {
                        handle(records);
                        consumer.commitSync(nextOffsets(records));
                    }
                    backoff = 0;
                } catch (WakeupException stopping) {
                    throw stopping;
                } catch (RuntimeException transientFailure) {
                    // The database or the broker is away: the batch is retried, never skipped.
                    backoff = Await.nextBackoffMillis(backoff);
                    retried.incrementAndGet();
                    LOG.warnf(transientFailure, "ingesting a batch of %d records failed; retrying it in %d ms",
                            records.count(), backoff);
                    for (TopicPartition tp : records.partitions()) {
                        if (consumer.assignment().contains(tp)) {
                            consumer.seek(tp, records.records(tp).getFirst().offset());
                        }
                    }
                    Thread.sleep(backoff);
                }
                updateLag(consumer);
            }
        } catch (WakeupException stopping) {
            // close() woke the poll
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.errorf(e, "the ingest consumer stopped");
        } finally {
            dev.memos.scheduler.bus.GroupMembership.leave(consumer);
        }
    }

    /** Writes the batch (one transaction when it can) and dead-letters the records refused. */
    private void handle(ConsumerRecords<byte[], byte[]> records) {
        List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>(records.count());
        records.forEach(batch::add);
        List<IngestProcessor.Outcome> outcomes = processor.processAll(batch.stream().map(ConsumerRecord::value).toList());
        for (int i = 0; i < batch.size(); i++) {
            switch (outcomes.get(i)) {
                case IngestProcessor.Written written -> cubes.addAndGet(written.created());
                case IngestProcessor.Rejected rejected -> deadLetter(batch.get(i), rejected);
            }
        }
        processed.addAndGet(batch.size());
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            next.put(tp, new OffsetAndMetadata(records.records(tp).getLast().offset() + 1));
        }
        return next;
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> record, IngestProcessor.Rejected rejected) {
        ProducerRecord<byte[], byte[]> out = new ProducerRecord<>(settings.deadLetterTopic(), record.key(), record.value());
        Headers headers = out.headers();
        record.headers().forEach(h -> headers.add(h.key(), h.value()));
        header(headers, "memos-error-reason", rejected.reason());
        header(headers, "memos-error-message", rejected.message());
        header(headers, "memos-source-topic", record.topic());
        header(headers, "memos-source-partition", Integer.toString(record.partition()));
        header(headers, "memos-source-offset", Long.toString(record.offset()));
        try {
            dlq.send(out).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not write to the dead-letter topic: " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while dead-lettering", e);
        }
        deadLettered.incrementAndGet();
        LOG.infof("dead-lettered %s-%d@%d: %s (%s)", record.topic(), record.partition(), record.offset(),
                rejected.reason(), rejected.message());
    }

    private static void header(Headers headers, String key, String value) {
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }

    /** How many partitions of the ingest topic this consumer owns now. */
    public int assignedPartitions() {
        return assigned;
    }

    private void updateLag(KafkaConsumer<byte[], byte[]> consumer) {
        assigned = consumer.assignment().size();
        long total = 0;
        for (TopicPartition tp : consumer.assignment()) {
            OptionalLong l = consumer.currentLag(tp);
            total += l.orElse(0);
        }
        lag.set(total);
    }

    @Override
    public synchronized void close() throws InterruptedException {
        running = false;
        KafkaConsumer<byte[], byte[]> current = kafka;
        if (current != null) {
            current.wakeup();
        }
        if (thread != null) {
            thread.join(15_000);
        }
        dlq.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }
}
