package dev.memos.testkit.servers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real server (Kafka, Neo4j) in its own JVM, on the classpath the testkit build resolved
 * ({@code servers.classpath}), so its jars never enter a test's classpath.
 */
final class ServerProcess implements AutoCloseable {
    /**
     * The servers' JIT and collector flags. Tests run them with C1 only and the serial collector: they start fast
     * and stay small. A benchmark sets {@code -Dmemos.testkit.server-opts=-XX:+UseG1GC} (the JDK's defaults: C2,
     * G1, as a production Solr or Kafka runs), or the servers' own speed is what it measures.
     */
    private static final String OPTS = "memos.testkit.server-opts";
    private static final String TEST_OPTS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";
    private final String name;
    private final Path log;
    private final Process process;

    private ServerProcess(String name, Path log, Process process) {
        this.name = name;
        this.log = log;
        this.process = process;
    }

    static ServerProcess launch(String name, Path dir, String mainClass, List<String> jvmArgs, List<String> args)
            throws IOException {
        return launch(name, dir, classpath(), mainClass, jvmArgs, args);
    }

    static ServerProcess launch(String name, Path dir, String classpath, String mainClass, List<String> jvmArgs,
                                List<String> args) throws IOException {
        Files.createDirectories(dir);
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", classpath));
        command.addAll(List.of(System.getProperty(OPTS, TEST_OPTS).strip().split("\\s+")));
        command.addAll(jvmArgs);
        command.add(mainClass);
        command.addAll(args);
        Path log = dir.resolve(name + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ServerProcess server = new ServerProcess(name, log, process);
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        return server;
    }

    /** Waits until the port accepts connections and the log shows {@code readyLine}. */
    ServerProcess awaitReady(int port, String readyLine, long timeoutSeconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + tail());
            }
            if (accepts(port) && Files.readString(log, StandardCharsets.UTF_8).contains(readyLine)) {
                return this;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(name + " was not ready in " + timeoutSeconds + " s:\n" + tail());
    }

    long pid() {
        return process.pid();
    }

    String tail() throws IOException {
        String text = Files.readString(log, StandardCharsets.UTF_8);
        return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    private static String classpath() throws IOException {
        String own = Path.of(ServerProcess.class.getProtectionDomain().getCodeSource().getLocation().getPath())
                .toString();
        return own + java.io.File.pathSeparator + serversClasspath();
    }

    private static String serversClasspath() throws IOException {
        try (InputStream in = ServerProcess.class.getResourceAsStream("servers.classpath")) {
            if (in == null) {
                throw new IllegalStateException("servers.classpath is missing: build memos-testkit with Maven");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
    }

    /**
     * The classpath of a server built by its own module (the jar or classes directory on the servers' classpath
     * whose path contains one of {@code markers}): that entry, then the list it carries in {@code resource}.
     */
    static String moduleClasspath(List<String> markers, String resource) throws IOException {
        for (String entry : serversClasspath().split(java.io.File.pathSeparator)) {
            Path path = Path.of(entry);
            if (markers.stream().noneMatch(entry::contains)) {
                continue;
            }
            String listed;
            if (Files.isDirectory(path)) {
                listed = Files.readString(path.resolve(resource), StandardCharsets.UTF_8);
            } else {
                try (java.util.jar.JarFile jar = new java.util.jar.JarFile(path.toFile())) {
                    var item = jar.getEntry(resource);
                    if (item == null) {
                        throw new IllegalStateException(entry + " holds no " + resource);
                    }
                    try (InputStream in = jar.getInputStream(item)) {
                        listed = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    }
                }
            }
            return entry + java.io.File.pathSeparator + listed.trim();
        }
        throw new IllegalStateException("no " + markers + " on the servers' classpath: build the project with Maven");
    }
}
