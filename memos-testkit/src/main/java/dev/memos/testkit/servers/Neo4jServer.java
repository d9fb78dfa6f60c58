package dev.memos.testkit.servers;

import dev.memos.testkit.Scratch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real Neo4j 5.26 server in its own JVM for tests (Bolt on a free loopback port, authentication off).
 * {@link #shared()} starts one per test JVM and stops it when the JVM exits; its database is the
 * default {@code neo4j}.
 */
public final class Neo4jServer implements AutoCloseable {
    private static final String URI_PROPERTY = "testkit.neo4j.bolt-uri";
    private static Neo4jServer shared;

    private final Path home;
    private final int port;
    private ServerProcess process;

    private Neo4jServer(Path home, int port) {
        this.home = home;
        this.port = port;
    }

    public static synchronized Neo4jServer shared() {
        if (shared == null) {
            try {
                shared = start(Scratch.directory("memos-neo4j"));
            } catch (IOException e) {
                throw new IllegalStateException("could not start Neo4j", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting Neo4j", e);
            }
        }
        return shared;
    }

    /**
     * The Bolt URI of the JVM's shared server, started on first use. Remembered in a system property, so
     * code in another class loader of the same JVM (a Quarkus test profile and its application) reuses it.
     */
    public static synchronized String sharedBoltUri() {
        String uri = System.getProperty(URI_PROPERTY);
        if (uri == null) {
            uri = shared().boltUri();
            System.setProperty(URI_PROPERTY, uri);
        }
        return uri;
    }

    public static Neo4jServer start(Path home) throws IOException, InterruptedException {
        Neo4jServer server = new Neo4jServer(home, ServerProcess.freePort());
        server.launch();
        return server;
    }

    /** Stops the server (SIGTERM, as an operator would); {@link #startAgain} brings it back as it was. */
    public void stop() throws InterruptedException {
        process.close();
    }

    /** Starts the stopped server again on its port and its home, so clients find it where it was. */
    public void startAgain() throws IOException, InterruptedException {
        launch();
    }

    private void launch() throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        String classpath = ServerProcess.moduleClasspath(List.of("memos-testkit-neo4j", "neo4j-server"), "dev/memos/testkit/neo4j/neo4j.classpath");
        process = ServerProcess.launch("neo4j", home, classpath, "dev.memos.testkit.neo4j.Neo4jMain",
                List.of("-Xmx768m", "--add-opens=java.base/java.nio=ALL-UNNAMED",
                        "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                        "--add-opens=java.base/java.lang=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"),
                List.of(home.toString(), Integer.toString(port)))
                .awaitReady(port, "memos: Neo4j is ready", 120);
        System.out.printf("Neo4j on bolt://127.0.0.1:%d ready in %d ms (pid %d)%n", port,
                (System.nanoTime() - t0) / 1_000_000, process.pid());
    }

    public String boltUri() {
        return "bolt://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
