package dev.memos.testkit.bench;

/** How the benchmarks start the servers they need (Kafka, Solr): as they run in production, not as tests start them. */
final class Servers {
    private Servers() {
    }

    /**
     * The JDK's own JIT and a production collector (C2, G1) for the servers started after this, unless
     * {@code -Dmemos.testkit.server-opts} says otherwise: tests start them with C1 only, which would make a benchmark
     * measure a server slower than any deployment runs it.
     */
    static void asInProduction() {
        System.setProperty("memos.testkit.server-opts", System.getProperty("memos.testkit.server-opts", "-XX:+UseG1GC"));
    }
}
