package dev.memos.scheduler.policy;

/**
 * Whether this instance runs the timer-driven lifecycle policies now. Embedded (one process) it always
 * does; on Kafka one member of a consumer group holds the lease ({@link KafkaLease}).
 */
@FunctionalInterface
public interface Lease {
    Lease ALWAYS = () -> true;

    boolean held();
}
