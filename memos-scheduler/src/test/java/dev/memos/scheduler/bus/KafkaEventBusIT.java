package dev.memos.scheduler.bus;

import org.awaitility.Awaitility;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memos.kernel.event.EventType;
import dev.memos.kernel.event.KernelEvent;
import dev.memos.kernel.model.CubeId;
import dev.memos.testkit.servers.KafkaBroker;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Kafka event bus against a real broker. */
class KafkaEventBusIT {
    private static final EventJson CODEC = new EventJson(new ObjectMapper());

    private static KafkaEventBus bus(String topic, String client) {
        return new KafkaEventBus(new KafkaEventBus.Settings(KafkaBroker.shared().bootstrapServers(), topic, 3, (short) 1,
                client), CODEC);
    }

    private static List<KernelEvent> events(int perSpace, List<String> spaces) {
        List<KernelEvent> events = new ArrayList<>();
        for (int i = 1; i <= perSpace; i++) {
            for (String space : spaces) {
                events.add(new KernelEvent(UUID.randomUUID(), EventType.CUBE_VERSIONED, space,
                        CubeId.parse(new UUID(0, space.hashCode() & 0xffff).toString()), i, "actor",
                        Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i), Map.of("n", Integer.toString(i))));
            }
        }
        return events;
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        Awaitility.await(what).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(condition::getAsBoolean);
    }

    @Test
    void events_arrive_in_order_per_space_and_survive_the_wire_unchanged() throws Exception {
        String topic = "events-" + UUID.randomUUID();
        List<String> spaces = List.of("a", "b", "c", "d", "e");
        List<KernelEvent> sent = events(200, spaces);
        List<KernelEvent> received = Collections.synchronizedList(new ArrayList<>());
        try (KafkaEventBus bus = bus(topic, "order")) {
            bus.subscribe("g", received::addAll);
            bus.publish(sent);
            assertTrue(bus.awaitApplied("g", spaces, Duration.ofSeconds(60)), "all applied");
            await("the group's committed backlog at 0", () -> bus.backlog("g") == 0);
        }
        assertEquals(Set.copyOf(sent), Set.copyOf(received));
        for (String space : spaces) {
            List<Integer> versions = received.stream().filter(e -> e.space().equals(space)).map(KernelEvent::version).toList();
            assertEquals(sent.stream().filter(e -> e.space().equals(space)).map(KernelEvent::version).toList(), versions,
                    "space " + space + " in order");
        }
    }

    @Test
    void a_consumer_that_fails_gets_the_batch_again() throws Exception {
        String topic = "events-" + UUID.randomUUID();
        List<KernelEvent> sent = events(20, List.of("x"));
        AtomicBoolean failed = new AtomicBoolean();
        List<KernelEvent> received = Collections.synchronizedList(new ArrayList<>());
        try (KafkaEventBus bus = bus(topic, "retry")) {
            bus.subscribe("g", batch -> {
                if (failed.compareAndSet(false, true)) {
                    throw new IllegalStateException("the database is away");
                }
                received.addAll(batch);
            });
            bus.publish(sent);
            assertTrue(bus.awaitApplied("g", List.of("x"), Duration.ofSeconds(60)));
        }
        assertTrue(failed.get());
        assertEquals(sent, received, "every event once after the failure, in order");
    }

    @Test
    void a_record_that_is_no_event_is_skipped_and_counted_and_the_events_after_it_flow() throws Exception {
        String topic = "events-" + UUID.randomUUID();
        List<KernelEvent> sent = events(5, List.of("x"));
        List<KernelEvent> received = Collections.synchronizedList(new ArrayList<>());
        try (KafkaEventBus bus = bus(topic, "poison")) {
            bus.subscribe("g", received::addAll);
            bus.publish(sent.subList(0, 2));
            try (var raw = new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(Map.of(
                    "bootstrap.servers", KafkaBroker.shared().bootstrapServers()),
                    new org.apache.kafka.common.serialization.StringSerializer(),
                    new org.apache.kafka.common.serialization.ByteArraySerializer())) {
                // same key as space x's events: the same partition, between them
                raw.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, "x",
                        "{not an event".getBytes(java.nio.charset.StandardCharsets.UTF_8))).get();
            }
            bus.publish(sent.subList(2, 5));
            assertTrue(bus.awaitApplied("g", List.of("x"), Duration.ofSeconds(60)), "the events after it applied");
            assertEquals(1, bus.unreadable());
        }
        assertEquals(sent, received);
    }

    @Test
    void the_backlog_counts_what_a_group_has_not_applied_even_before_its_member_joins() throws Exception {
        String topic = "events-" + UUID.randomUUID();
        List<KernelEvent> sent = events(10, List.of("p", "q", "r"));
        try (KafkaEventBus bus = bus(topic, "backlog")) {
            bus.publish(sent);
            // nobody of group g consumes yet: a member's own view would say 0
            assertEquals(30.0, bus.backlog("g"));
            bus.subscribe("g", batch -> { });
            assertTrue(bus.awaitApplied("g", List.of("p", "q", "r"), Duration.ofSeconds(60)));
            await("the group's committed offsets at the end", () -> bus.backlog("g") == 0.0);
        }
    }

    @Test
    void await_applied_waits_for_the_members_progress() throws Exception {
        String topic = "events-" + UUID.randomUUID();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try (KafkaEventBus bus = bus(topic, "await")) {
            bus.subscribe("slow", batch -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            bus.publish(events(3, List.of("s")));
            assertFalse(bus.awaitApplied("slow", List.of("s"), Duration.ofMillis(500)), "not yet applied");
            release.countDown();
            assertTrue(bus.awaitApplied("slow", List.of("s"), Duration.ofSeconds(60)));
        }
    }

    @Test
    void two_instances_in_one_group_split_the_partitions_and_nothing_is_applied_twice() throws Exception {
        String topic = "events-" + UUID.randomUUID();
        List<String> spaces = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            spaces.add("space-" + i);
        }
        List<KernelEvent> sent = events(50, spaces);
        Map<UUID, String> appliedBy = new HashMap<>();
        List<UUID> duplicates = Collections.synchronizedList(new ArrayList<>());
        Set<String> spacesOfOne = Collections.synchronizedSet(new HashSet<>());
        Set<String> spacesOfTwo = Collections.synchronizedSet(new HashSet<>());
        try (KafkaEventBus one = bus(topic, "one"); KafkaEventBus two = bus(topic, "two")) {
            one.subscribe("scheduler", batch -> record(batch, "one", appliedBy, duplicates, spacesOfOne));
            two.subscribe("scheduler", batch -> record(batch, "two", appliedBy, duplicates, spacesOfTwo));
            // Both members joined and own partitions: no rebalance moves a space while the events flow.
            await("a balanced group", () -> one.assignedPartitions("scheduler") > 0 && two.assignedPartitions("scheduler") > 0
                    && one.assignedPartitions("scheduler") + two.assignedPartitions("scheduler") == 3);
            one.publish(sent);
            await("all events applied", () -> {
                synchronized (appliedBy) {
                    return appliedBy.size() == sent.size();
                }
            });
            Awaitility.await("no event applied twice").during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                    .until(() -> {
                        synchronized (appliedBy) {
                            return appliedBy.size() == sent.size();
                        }
                    });
        }
        assertEquals(List.of(), duplicates);
        assertFalse(spacesOfOne.isEmpty(), "instance one did some of the work");
        assertFalse(spacesOfTwo.isEmpty(), "instance two did some of the work");
        Set<String> both = new HashSet<>(spacesOfOne);
        both.retainAll(spacesOfTwo);
        assertEquals(Set.of(), both, "each space's events went to one instance");
    }

    @Test
    void an_instance_waits_for_the_group_member_that_holds_the_space_on_another_instance() throws Exception {
        String topic = "events-" + UUID.randomUUID();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try (KafkaEventBus holder = bus(topic, "holder"); KafkaEventBus reader = bus(topic, "reader")) {
            // only the holder is a member: every partition is its own, none the reader's
            holder.subscribe("indexer", batch -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            await("the holder owns every partition", () -> holder.assignedPartitions("indexer") == 3);
            reader.publish(events(3, List.of("s", "t")));
            assertFalse(reader.awaitGroupApplied("indexer", List.of("s"), Duration.ofMillis(500)),
                    "the holder has not applied them yet");
            release.countDown();
            assertTrue(reader.awaitGroupApplied("indexer", List.of("s", "t"), Duration.ofSeconds(60)),
                    "applied on the other instance, seen from this one");
            assertTrue(reader.awaitGroupApplied("indexer", List.of("a-space-without-events"), Duration.ofSeconds(5)),
                    "nothing to wait for where no event was written");
        }
    }

    private static void record(List<KernelEvent> batch, String who, Map<UUID, String> appliedBy, List<UUID> duplicates,
                               Set<String> spaces) {
        synchronized (appliedBy) {
            for (KernelEvent event : batch) {
                if (appliedBy.putIfAbsent(event.eventId(), who) != null) {
                    duplicates.add(event.eventId());
                }
                spaces.add(event.space());
            }
        }
    }
}
