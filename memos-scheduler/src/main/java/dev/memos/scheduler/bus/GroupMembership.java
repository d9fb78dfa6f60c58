package dev.memos.scheduler.bus;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;

import java.time.Duration;
import java.util.Properties;

/**
 * How memos' consumers belong to their groups (docs/adr/0013-static-group-membership.md). Each is a static member,
 * named after its instance (stable across restarts: {@code <data-dir>/instance.id}) and its group: an instance
 * restarted after a crash takes its partitions back at once, instead of waiting for the dead member's session to
 * expire (45 s by default: it used to wait 39–41 s before consuming). The session is 10 s, so a member that dies
 * and does not come back hands its partitions over after 10 s. A clean close leaves the group, handing over at once.
 */
public final class GroupMembership {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(GroupMembership.class);
    /** How long a silent member keeps its partitions. */
    public static final Duration SESSION = Duration.ofSeconds(10);

    private GroupMembership() {
    }

    /** Makes the consumer of {@code p} the static member {@code clientId} (unique per instance and group). */
    public static Properties staticMember(Properties p, String clientId) {
        p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, clientId);
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) SESSION.toMillis());
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) SESSION.toMillis() / 3);
        return p;
    }

    /** Closes the consumer leaving its group, so that its partitions go to the other members now. */
    public static void leave(KafkaConsumer<?, ?> consumer) {
        boolean interrupted = Thread.interrupted(); // close() needs to wait for the broker's answer
        try {
            consumer.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(10)));
        } catch (RuntimeException e) {
            LOG.warnf("closing a consumer failed (its partitions move when its session ends): %s", e.toString());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
