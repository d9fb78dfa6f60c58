package dev.memos.scheduler.policy;

import dev.memos.scheduler.bus.KafkaTopics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The scheduler's lease on Kafka: every instance joins the consumer group {@code group} on a topic with a
 * single partition; the member Kafka assigns that partition runs the lifecycle policies, and keeps it while
 * others join (cooperative sticky assignment). When it leaves
 * (stop) the group hands the partition to another member at once; when it dies, after the session timeout
 * (10 s). During a hand-over two instances may briefly both believe they hold it: the policies' moves are
 * guarded by the cube's expected state, so a move is still applied once. Nothing is ever produced to the
 * topic; the group is the whole mechanism.
 */
public final class KafkaLease implements Lease, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KafkaLease.class);

    public record Settings(String bootstrapServers, String topic, String group, String clientId, short replication) {
    }

    private final Settings settings;
    private volatile boolean held;
    private volatile boolean running;
    private volatile KafkaConsumer<byte[], byte[]> kafka;
    private Thread thread;

    public KafkaLease(Settings settings) {
        this.settings = settings;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", settings.bootstrapServers(),
                "client.id", settings.clientId() + "-lease-admin"))) {
            int partitions = KafkaTopics.ensure(admin, settings.bootstrapServers(), settings.topic(), 1, settings.replication());
            if (partitions != 1) {
                throw new IllegalStateException("the scheduler lease topic " + settings.topic() + " has " + partitions
                        + " partitions; it needs exactly 1 (delete it, or name another with memos.scheduler.lease-topic)");
            }
        }
    }

    @Override
    public boolean held() {
        return held;
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = Thread.ofPlatform().name("memos-scheduler-lease").daemon().start(this::run);
    }

    private void run() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.group());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.clientId() + "-lease");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
        // sticky: an instance joining later never takes the lease from the one holding it
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                org.apache.kafka.clients.consumer.CooperativeStickyAssignor.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            kafka = consumer;
            consumer.subscribe(List.of(settings.topic()), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    if (!partitions.isEmpty()) {
                        held = true;
                        LOG.infof("this instance now runs the lifecycle policies (it holds the lease of group %s)",
                                settings.group());
                    }
                }

                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    if (!partitions.isEmpty()) {
                        held = false;
                        LOG.infof("this instance no longer runs the lifecycle policies");
                    }
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    held = false;
                }
            });
            while (running) {
                try {
                    consumer.poll(Duration.ofMillis(500));
                } catch (WakeupException stopping) {
                    throw stopping;
                } catch (RuntimeException e) {
                    held = false;
                    LOG.warnf(e, "the scheduler lease lost its broker; retrying");
                    Thread.sleep(1_000);
                }
            }
        } catch (WakeupException stopping) {
            // close() woke the poll
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            held = false;
        }
    }

    @Override
    public synchronized void close() throws InterruptedException {
        running = false;
        held = false;
        KafkaConsumer<byte[], byte[]> current = kafka;
        if (current != null) {
            current.wakeup();
        }
        if (thread != null) {
            thread.join(15_000);
        }
    }
}
