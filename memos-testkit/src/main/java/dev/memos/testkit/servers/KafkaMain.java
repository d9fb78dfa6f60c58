package dev.memos.testkit.servers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Runs a single-node KRaft Kafka broker in this JVM: {@code KafkaMain <data-dir> <port> <controller-port>}.
 * Started by {@link KafkaBroker} as its own process; never loaded into a test's JVM.
 */
public final class KafkaMain {
    private KafkaMain() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        int controller = Integer.parseInt(args[2]);
        Path props = dir.resolve("server.properties");
        Files.createDirectories(dir);
        Files.writeString(props, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.bootstrap.servers=127.0.0.1:" + controller,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "log.dirs=" + dir.resolve("logs"),
                "num.partitions=3",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=3",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "min.insync.replicas=1",
                "default.replication.factor=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=false",
                "log.flush.interval.messages=1",
                ""));
        if (!Files.exists(dir.resolve("logs").resolve("meta.properties"))) {
            int code = kafka.tools.StorageTool.execute(new String[]{"format", "--cluster-id=" + clusterId(), "-c", props.toString(),
                    "--standalone"}, System.out);
            if (code != 0) {
                throw new IllegalStateException("formatting Kafka storage failed with " + code);
            }
        }
        kafka.Kafka.main(new String[]{props.toString()});
    }

    /** A random id, passed as {@code --cluster-id=…}: one in 64 starts with '-', which the tool's parser would take for an option. */
    private static String clusterId() {
        UUID uuid = UUID.randomUUID();
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(16);
        bytes.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }
}
