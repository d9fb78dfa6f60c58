package dev.memos.testkit;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged memos service run as its own process, as a user runs it, on a data directory and
 * port of the test's choosing. {@link #start} waits until the readiness check answers.
 */
public final class ServiceProcess implements AutoCloseable {
    private final Path jar;
    private final Path dataDir;
    /** Chosen free at construction; chosen again when another process took it before the service bound it. */
    private int port;
    private final Map<String, String> environment;
    private Process process;
    private long lastStartMillis;
    private int starts;

    public ServiceProcess(Path jar, Path dataDir, Map<String, String> environment) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package memos-api first (./mvnw -pl memos-api -am package)");
        }
        this.jar = jar;
        this.dataDir = dataDir;
        this.port = freePort();
        this.environment = Map.copyOf(environment);
    }

    /** The service as packaged under memos-api/target, found from a sibling module's working directory. */
    public static Path packagedJar() {
        String configured = System.getProperty("memos.app.dir");
        Path dir = configured != null ? Path.of(configured) : Path.of("..", "memos-api", "target", "quarkus-app");
        return dir.resolve("quarkus-run.jar").toAbsolutePath().normalize();
    }

    public String baseUri() {
        return "http://127.0.0.1:" + port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Resident set size of the service process in KiB, from /proc (Linux). */
    public long rssKib() throws IOException {
        return statusKib("VmRSS");
    }

    /**
     * A field of the process's {@code /proc/<pid>/status} in KiB (Linux), e.g. {@code RssAnon} (heap and other
     * private memory) or {@code RssFile} (mapped files, such as the search index, which the OS may drop).
     */
    public long statusKib(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no " + field + " for pid " + process.pid());
    }

    /** Milliseconds from launching the JVM until the readiness check answered 200, for the last start. */
    public long lastStartMillis() {
        return lastStartMillis;
    }

    public ServiceProcess start() throws IOException, InterruptedException {
        return start(List.of());
    }

    /** Starts with extra JVM arguments, e.g. {@code -Dmemos.search.relay-idle=10m}. */
    public ServiceProcess start(List<String> jvmArgs) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return launch(jvmArgs);
            } catch (PortTakenException e) {
                if (attempt == 3) {
                    throw new IllegalStateException(e.getMessage());
                }
                System.out.printf("port %d was taken before the service bound it; trying another%n", port);
                port = freePort();
            }
        }
    }

    /** The port chosen was free when chosen, but another process bound it first (tests run side by side). */
    private static final class PortTakenException extends Exception {
        PortTakenException(String message) {
            super(message);
        }
    }

    private ServiceProcess launch(List<String> jvmArgs) throws IOException, InterruptedException, PortTakenException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path log = dataDir.resolve("service-" + (++starts) + ".log");
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "--add-modules", "jdk.incubator.vector",
                "-Dmemos.data-dir=" + dataDir, "-Dquarkus.http.port=" + port));
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        long t0 = System.nanoTime();
        process = builder.start();
        // a test or bench stopped half way (Ctrl-C, a build's timeout) must not leave the service running on a data
        // directory that Scratch deletes meanwhile
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "stop-memos-" + port));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(baseUri() + "/q/health/ready")).build();
        for (int i = 0; i < 600; i++) {
            if (!process.isAlive()) {
                String output = Files.readString(log);
                if (output.contains("Port " + port + " seems to be in use")) {
                    throw new PortTakenException("the service could not bind port " + port + ":\n" + output);
                }
                throw new IllegalStateException("the service exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    lastStartMillis = (System.nanoTime() - t0) / 1_000_000;
                    System.out.printf("memos ready in %d ms (start %d)%n", lastStartMillis, starts);
                    return this;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the service did not become ready in 60 s:\n" + Files.readString(log));
    }

    /** A graceful stop (SIGTERM), as an operator's stop or a container shutdown sends. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the service did not stop within 30 s of SIGTERM");
        }
    }

    /** A crash (SIGKILL): no shutdown hook runs. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            kill();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
