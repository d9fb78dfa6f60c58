package dev.memos.testkit.servers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real single-node Kafka broker (KRaft) in its own JVM for tests. {@link #shared()} starts one per
 * test JVM on free ports and stops it when the JVM exits; topics are the test's to create.
 */
public final class KafkaBroker implements AutoCloseable {
    private static KafkaBroker shared;

    private final int port;
    private final ServerProcess process;

    private KafkaBroker(int port, ServerProcess process) {
        this.port = port;
        this.process = process;
    }

    public static synchronized KafkaBroker shared() {
        if (shared == null) {
            try {
                shared = start(Files.createTempDirectory("memos-kafka"));
            } catch (IOException e) {
                throw new IllegalStateException("could not start Kafka", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting Kafka", e);
            }
        }
        return shared;
    }

    public static KafkaBroker start(Path dir) throws IOException, InterruptedException {
        int port = ServerProcess.freePort();
        int controller = ServerProcess.freePort();
        long t0 = System.nanoTime();
        ServerProcess process = ServerProcess.launch("kafka", dir, KafkaMain.class.getName(),
                List.of("-Xmx512m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                        "-Dorg.slf4j.simpleLogger.log.kafka.server.KafkaRaftServer=info"),
                List.of(dir.toString(), Integer.toString(port), Integer.toString(controller)))
                .awaitReady(port, "Kafka Server started", 90);
        System.out.printf("Kafka broker on 127.0.0.1:%d ready in %d ms (pid %d)%n", port,
                (System.nanoTime() - t0) / 1_000_000, process.pid());
        return new KafkaBroker(port, process);
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
