package dev.memos.testkit.neo4j;

import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs a Neo4j 5.26 server (Bolt only, no auth, loopback) in this JVM: {@code Neo4jMain <home> <bolt-port>}.
 * Started by {@code dev.memos.testkit.servers.Neo4jServer} as its own process; never loaded into a test's JVM.
 */
public final class Neo4jMain {
    public static final String READY = "memos: Neo4j is ready";

    private Neo4jMain() {
    }

    public static void main(String[] args) throws IOException {
        Path home = Path.of(args[0]);
        int bolt = Integer.parseInt(args[1]);
        Files.createDirectories(home);
        Path conf = home.resolve("neo4j.conf");
        Files.writeString(conf, String.join("\n",
                "server.default_listen_address=127.0.0.1",
                "server.bolt.enabled=true",
                "server.bolt.listen_address=127.0.0.1:" + bolt,
                "server.bolt.tls_level=DISABLED",
                "server.http.enabled=false",
                "server.https.enabled=false",
                "dbms.security.auth_enabled=false",
                "server.memory.pagecache.size=128m",
                "db.tx_log.preallocate=false",
                "dbms.usage_report.enabled=false",
                "server.config.strict_validation.enabled=false",
                "internal.dbms.bolt.netty_server_shutdown_quiet_period=0",
                "internal.dbms.bolt.netty_server_shutdown_timeout=2s",
                ""));
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home).loadPropertiesFromFile(conf).build();
        Runtime.getRuntime().addShutdownHook(new Thread(dbms::shutdown));
        System.out.println(READY);
        System.out.flush();
    }
}
