package dev.memos.testkit.servers;

import dev.memos.testkit.Scratch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real two-node SolrCloud 9.10 for tests: each node a {@code JettySolrRunner} in its own JVM, the first with a
 * standalone ZooKeeper beside it, the second joining it. {@link #shared()} starts one per test JVM and stops it when
 * the JVM exits. Clients reach it through {@link #urls()}, the nodes' base URLs (SolrJ's HTTP cluster state).
 * Each node's heap is 384 MiB, enough for tests and 100k cubes; {@code -Dmemos.testkit.solr-heap=1536m} gives more
 * (the million-cube benchmark: merging a segment builds its HNSW graph on the heap).
 */
public final class SolrCloud implements AutoCloseable {
    private static final String URLS_PROPERTY = "testkit.solr.urls";
    private static SolrCloud shared;

    private final Path home;
    private final int zkPort = ServerProcess.freePort();
    private final List<Integer> ports = List.of(ServerProcess.freePort(), ServerProcess.freePort());
    private final List<ServerProcess> nodes = new ArrayList<>();

    private SolrCloud(Path home) {
        this.home = home;
    }

    public static synchronized SolrCloud shared() {
        if (shared == null) {
            try {
                shared = start(Scratch.directory("memos-solr"));
            } catch (IOException e) {
                throw new IllegalStateException("could not start SolrCloud", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting SolrCloud", e);
            }
        }
        return shared;
    }

    /**
     * The node URLs of the JVM's shared cluster, comma-separated, started on first use; remembered in a system
     * property so a Quarkus application in another class loader of the same JVM reuses it.
     */
    public static synchronized String sharedUrls() {
        String urls = System.getProperty(URLS_PROPERTY);
        if (urls == null) {
            urls = String.join(",", shared().urls());
            System.setProperty(URLS_PROPERTY, urls);
        }
        return urls;
    }

    public static SolrCloud start(Path home) throws IOException, InterruptedException {
        SolrCloud cloud = new SolrCloud(home);
        long t0 = System.nanoTime();
        for (int i = 0; i < cloud.ports.size(); i++) {
            cloud.nodes.add(cloud.launch(i));
        }
        System.out.printf("SolrCloud on %s ready in %d ms%n", cloud.urls(), (System.nanoTime() - t0) / 1_000_000);
        return cloud;
    }

    private ServerProcess launch(int node) throws IOException, InterruptedException {
        String classpath = ServerProcess.moduleClasspath(List.of("memos-testkit-solr", "solr-server"),
                "dev/memos/testkit/solr/solr.classpath");
        int port = ports.get(node);
        return ServerProcess.launch("solr-" + node, home.resolve("node" + node), classpath,
                "dev.memos.testkit.solr.SolrMain", List.of("-Xmx" + System.getProperty("memos.testkit.solr-heap", "384m"), "-Xss512k",
                        "--add-opens=java.base/java.lang=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"),
                List.of(home.resolve("node" + node).toString(), Integer.toString(port), Integer.toString(zkPort),
                        node == 0 ? "zk" : "join"))
                .awaitReady(port, "memos: Solr node is ready", 120);
    }

    /** The nodes' base URLs, {@code http://127.0.0.1:<port>/solr}. */
    public List<String> urls() {
        return ports.stream().map(port -> "http://127.0.0.1:" + port + "/solr").toList();
    }

    /** Where the nodes keep their cores (index segments and update logs), to scan after an erasure. */
    public Path home() {
        return home;
    }

    /** Each node's resident set size in MiB, from /proc (Linux). */
    public List<Long> rssMib() throws IOException {
        List<Long> out = new ArrayList<>();
        for (ServerProcess node : nodes) {
            long kib = 0;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(node.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            out.add(kib / 1024);
        }
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        for (ServerProcess node : nodes.reversed()) {
            node.close();
        }
    }
}
