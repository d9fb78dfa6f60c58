package dev.memos.scheduler.bus;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The records of a topic a consumer group has yet to handle, read from the broker: for each partition its end
 * offset less the group's committed offset (or less its first offset, when the group committed none there). Unlike a
 * member's own view, this counts partitions no member holds, during a rebalance or before the first member joins:
 * after a crash the true backlog, never a 0 that only means "nothing assigned to me".
 */
public final class GroupBacklog {
    private GroupBacklog() {
    }

    /** The backlog; {@link Double#NaN} (unknown) when the broker cannot be asked. */
    public static double of(Admin admin, String group, String topic) {
        try {
            var description = admin.describeTopics(java.util.List.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS)
                    .get(topic);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            description.partitions().forEach(p -> {
                latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
                earliest.put(new TopicPartition(topic, p.partition()), OffsetSpec.earliest());
            });
            var end = admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS);
            var start = admin.listOffsets(earliest).all().get(5, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
            long backlog = 0;
            for (TopicPartition tp : latest.keySet()) {
                OffsetAndMetadata done = committed.get(tp);
                long from = done != null ? done.offset() : start.get(tp).offset();
                backlog += Math.max(0, end.get(tp).offset() - from);
            }
            return backlog;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }
}
