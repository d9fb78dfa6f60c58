package dev.memos.testkit.servers;

import dev.memos.testkit.Scratch;
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

    private final Path dir;
    private final int port;
    private final int controller;
    private ServerProcess process;

    private KafkaBroker(Path dir, int port, int controller) {
        this.dir = dir;
        this.port = port;
        this.controller = controller;
    }

    public static synchronized KafkaBroker shared() {
        if (shared == null) {
            try {
                shared = start(Scratch.directory("memos-kafka"));
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
        KafkaBroker broker = new KafkaBroker(dir, ServerProcess.freePort(), ServerProcess.freePort());
        broker.launch();
        return broker;
    }

    private void launch() throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        process = ServerProcess.launch("kafka", dir, KafkaMain.class.getName(),
                List.of("-Xmx512m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                        "-Dorg.slf4j.simpleLogger.log.kafka.server.KafkaRaftServer=info"),
                List.of(dir.toString(), Integer.toString(port), Integer.toString(controller)))
                .awaitReady(port, "Kafka Server started", 90);
        System.out.printf("Kafka broker on 127.0.0.1:%d ready in %d ms (pid %d)%n", port,
                (System.nanoTime() - t0) / 1_000_000, process.pid());
    }

    /** Stops the broker (SIGTERM, as an operator would); {@link #startAgain} brings it back as it was. */
    public void stop() throws InterruptedException {
        process.close();
    }

    /** Starts the stopped broker again on its ports and its data directory, so clients find it where it was. */
    public void startAgain() throws IOException, InterruptedException {
        launch();
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
