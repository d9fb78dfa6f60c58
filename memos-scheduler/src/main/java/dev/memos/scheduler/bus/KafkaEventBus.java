package dev.memos.scheduler.bus;

import dev.memos.kernel.event.KernelEvent;
import dev.memos.kernel.spi.EventBus;
import dev.memos.scheduler.Await;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The event bus on Apache Kafka: one topic, events keyed by space so one space's events stay in one
 * partition and in order; an idempotent producer with {@code acks=all}, so {@link #publish} returns only
 * when the broker has every event. Each {@link #subscribe subscription} is a consumer-group member on its
 * own thread: it hands each polled batch to the consumer and commits the offsets only after the consumer
 * returned; a consumer that throws gets the same batch again (at least once). Members of one group on
 * several instances split the partitions.
 */
public final class KafkaEventBus implements EventBus, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KafkaEventBus.class);

    /** Where the bus connects and how its topic is made. */
    public record Settings(String bootstrapServers, String topic, int partitions, short replication, String clientId) {
    }

    private final Settings settings;
    private final EventJson codec;
    private final KafkaProducer<String, byte[]> producer;
    private final Admin admin;
    private final List<Member> members = new ArrayList<>();
    private final int partitions;
    private final java.util.concurrent.atomic.AtomicLong unreadable = new java.util.concurrent.atomic.AtomicLong();

    public KafkaEventBus(Settings settings, EventJson codec) {
        this.settings = settings;
        this.codec = codec;
        this.admin = Admin.create(Map.of("bootstrap.servers", settings.bootstrapServers(),
                "client.id", settings.clientId() + "-admin"));
        this.partitions = KafkaTopics.ensure(admin, settings.bootstrapServers(), settings.topic(), settings.partitions(),
                settings.replication());
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, settings.clientId() + "-events");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public void publish(List<KernelEvent> events) {
        List<Future<RecordMetadata>> sent = new ArrayList<>(events.size());
        for (KernelEvent event : events) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(settings.topic(), event.space(), codec.write(event));
            record.headers().add("memos-event-type", event.type().wireName().getBytes(StandardCharsets.UTF_8));
            sent.add(producer.send(record));
        }
        producer.flush();
        try {
            for (Future<RecordMetadata> future : sent) {
                future.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka did not take the events: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing events", e);
        }
    }

    @Override
    public synchronized void subscribe(String group, Consumer<List<KernelEvent>> consumer) {
        Member member = new Member(group, consumer);
        members.add(member);
        member.thread = Thread.ofPlatform().name("memos-bus-" + group).daemon().start(member::run);
    }

    /**
     * Waits until this process's member of {@code group} has applied every event of these spaces that the
     * broker held when the call began. False on timeout.
     */
    public boolean awaitApplied(String group, Collection<String> spaces, Duration timeout) {
        Member member = member(group);
        Map<TopicPartition, Long> end = endOffsets(partitionsOf(spaces));
        return Await.until(() -> member.reached(end), timeout);
    }

    /**
     * Waits until {@code group}, whichever of its members on whichever instance holds the spaces' partitions, has
     * applied every event of these spaces that the broker held when the call began: this process's member reached
     * them, or the group committed offsets past them (a member commits only after its consumer returned). For a
     * consumer whose work every instance shares, such as one search index on a cluster. False on timeout, and while
     * the broker cannot be asked.
     */
    public boolean awaitGroupApplied(String group, Collection<String> spaces, Duration timeout) {
        Member member = members().stream().filter(m -> m.group.equals(group)).findFirst().orElse(null);
        Map<TopicPartition, Long> end = endOffsets(partitionsOf(spaces));
        return Await.until(() -> (member != null && member.reached(end)) || committedPast(group, end), timeout);
    }

    private boolean committedPast(String group, Map<TopicPartition, Long> end) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
            for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
                OffsetAndMetadata done = committed.get(e.getKey());
                // a partition with no events has nothing to wait for; one the group never committed is not done
                if (e.getValue() > 0 && (done == null || done.offset() < e.getValue())) {
                    return false;
                }
            }
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Set<TopicPartition> partitionsOf(Collection<String> spaces) {
        Set<TopicPartition> wanted = new HashSet<>();
        for (String space : spaces) {
            wanted.add(new TopicPartition(settings.topic(), BuiltInPartitioner.partitionForKey(
                    space.getBytes(StandardCharsets.UTF_8), partitions)));
        }
        return wanted;
    }

    private synchronized List<Member> members() {
        return List.copyOf(members);
    }

    /** How many partitions this process's member of {@code group} owns now (0 until the group assigned it some). */
    public int assignedPartitions(String group) {
        return member(group).applied.size();
    }

    /** Records on the topic that no member could read as an event, skipped (each logged with its offset). */
    public long unreadable() {
        return unreadable.get();
    }

    /**
     * How many events {@code group} has yet to apply, over every partition of the topic, from the offsets the group
     * committed (GroupBacklog): the real backlog also during a rebalance or a restart; NaN when the broker cannot
     * be asked.
     */
    public double backlog(String group) {
        return GroupBacklog.of(admin, group, settings.topic());
    }

    private synchronized Member member(String group) {
        return members.stream().filter(m -> m.group.equals(group)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no member of group " + group + " in this process"));
    }

    private Map<TopicPartition, Long> endOffsets(Set<TopicPartition> partitions) {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        try {
            Map<TopicPartition, Long> end = new HashMap<>();
            admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).forEach((tp, info) -> end.put(tp, info.offset()));
            return end;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not read offsets from Kafka: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading offsets", e);
        }
    }

    @Override
    public synchronized void close() throws InterruptedException {
        for (Member member : members) {
            member.stop();
        }
        for (Member member : members) {
            if (member.thread != null) {
                member.thread.join(15_000);
            }
        }
        producer.close(Duration.ofSeconds(10));
        admin.close(Duration.ofSeconds(5));
    }

    /** One consumer-group member: poll, apply, commit; on failure rewind to the batch's start. */
    private final class Member {
        private final String group;
        private final Consumer<List<KernelEvent>> consumer;
        private final Map<TopicPartition, Long> applied = new ConcurrentHashMap<>();
        private volatile boolean running = true;
        private volatile KafkaConsumer<String, byte[]> kafka;
        private Thread thread;

        Member(String group, Consumer<List<KernelEvent>> consumer) {
            this.group = group;
            this.consumer = consumer;
        }

        boolean reached(Map<TopicPartition, Long> end) {
            for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
                if (applied.getOrDefault(e.getKey(), -1L) < e.getValue()) {
                    return false;
                }
            }
            return true;
        }

        void run() {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
            p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            p.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.clientId() + "-" + group);
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 256);
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            GroupMembership.staticMember(p, settings.clientId() + "-" + group);
            KafkaConsumer<String, byte[]> kafka = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
            try {
                this.kafka = kafka;
                kafka.subscribe(List.of(settings.topic()), new Rebalance(applied));
                long backoff = 0;
                while (running) {
                    ConsumerRecords<String, byte[]> records = ConsumerRecords.empty();
                    try {
                        records = kafka.poll(Duration.ofMillis(200));
                        deliver(kafka, records);
                        backoff = 0;
                    } catch (WakeupException stopping) {
                        throw stopping;
                    } catch (RuntimeException e) {
                        // A failing consumer or broker never ends the member: it retries, and the batch comes again.
                        backoff = Await.nextBackoffMillis(backoff);
                        LOG.warnf(e, "consumer %s failed on a batch of %d events; redelivering in %d ms", group,
                                records.count(), backoff);
                        rewind(kafka, records);
                        Thread.sleep(backoff);
                    }
                }
            } catch (WakeupException stopping) {
                // close() woke the poll
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.errorf(e, "bus member %s stopped", group);
            } finally {
                GroupMembership.leave(kafka);
            }
        }

        private void deliver(KafkaConsumer<String, byte[]> kafka, ConsumerRecords<String, byte[]> records) {
            if (!records.isEmpty()) {
                List<KernelEvent> batch = new ArrayList<>(records.count());
                for (ConsumerRecord<String, byte[]> record : records) {
                    try {
                        batch.add(codec.read(record.value()));
                    } catch (IllegalArgumentException notAnEvent) {
                        unreadable.incrementAndGet();
                        LOG.errorf("skipping unreadable event at %s-%d@%d: %s", record.topic(), record.partition(),
                                record.offset(), notAnEvent.getMessage());
                    }
                }
                if (!batch.isEmpty()) {
                    consumer.accept(batch);
                }
                Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
                for (TopicPartition tp : records.partitions()) {
                    List<ConsumerRecord<String, byte[]>> part = records.records(tp);
                    commit.put(tp, new OffsetAndMetadata(part.getLast().offset() + 1));
                }
                kafka.commitSync(commit);
            }
            for (TopicPartition tp : kafka.assignment()) {
                applied.put(tp, kafka.position(tp));
            }
        }

        private void rewind(KafkaConsumer<String, byte[]> kafka, ConsumerRecords<String, byte[]> records) {
            for (TopicPartition tp : records.partitions()) {
                if (kafka.assignment().contains(tp)) {
                    kafka.seek(tp, records.records(tp).getFirst().offset());
                }
            }
        }

        void stop() {
            running = false;
            KafkaConsumer<String, byte[]> current = kafka;
            if (current != null) {
                current.wakeup();
            }
        }
    }

    /** Forgets progress of partitions this member no longer owns. */
    private record Rebalance(Map<TopicPartition, Long> applied)
            implements org.apache.kafka.clients.consumer.ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            partitions.forEach(applied::remove);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        }
    }
}
