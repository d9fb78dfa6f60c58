package dev.memos.cli;

import dev.memos.testkit.Scratch;
import com.fasterxml.jackson.databind.JsonNode;
import dev.memos.testkit.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI against a running service, over HTTP as a user runs it. */
class CliIT {
    private static ServiceProcess service;
    private static String adminKey;

    @BeforeAll
    static void startService() throws Exception {
        service = new ServiceProcess(ServiceProcess.packagedJar(), Scratch.directory("memos-cli"), Map.of()).start();
        adminKey = Files.readString(service.dataDir().resolve("admin.key")).strip();
    }

    @AfterAll
    static void stopService() throws Exception {
        service.close();
    }

    private static Cli.Run memos(String key, String... args) {
        return Cli.memos(service.baseUri(), key, args);
    }

    @Test
    void a_terminal_session_writes_edits_and_inspects_memories() throws Exception {
        assertEquals(0, memos(null, "status").exit());
        Cli.Run created = memos(adminKey, "principals", "create", "planner", "--kind", "agent", "-o", "json");
        assertEquals(0, created.exit(), created.err());
        String key = created.json().get("apiKey").asText();

        assertEquals(0, memos(key, "spaces", "create", "cli-notes", "--description", "from the terminal").exit());
        Cli.Run ls = memos(key, "spaces", "ls");
        assertTrue(ls.out().contains("cli-notes") && ls.out().contains("ADMIN"), ls.out());

        Cli.Run written = memos(key, "cubes", "write", "cli-notes", "Bob lives in Paris", "--kind", "fact", "--tag", "people",
                "-o", "json");
        assertEquals(0, written.exit(), written.err());
        String id = written.json().get("id").asText();

        assertEquals(0, memos(key, "cubes", "edit", id, "--text", "Bob lives in Berlin").exit());
        Cli.Run history = memos(key, "cubes", "history", id);
        assertTrue(history.out().contains("UPDATE") && history.out().contains("Bob lives in Paris"), history.out());
        Cli.Run stale = memos(key, "cubes", "edit", id, "--text", "stale", "--if-version", "1");
        assertEquals(ExitCodes.CONFLICT, stale.exit());
        assertTrue(stale.err().contains("412"), stale.err());

        assertEquals(0, memos(key, "cubes", "rollback", id, "1").exit());
        Cli.Run shown = memos(key, "cubes", "show", id, "-o", "json");
        assertEquals("Bob lives in Paris", shown.json().get("text").asText());
        assertEquals(3, shown.json().get("version").asInt());

        assertEquals(0, memos(key, "cubes", "transition", id, "activated", "--reason", "used").exit());
        Cli.Run illegal = memos(key, "cubes", "transition", id, "generated");
        assertEquals(ExitCodes.CONFLICT, illegal.exit(), illegal.err());
        Cli.Run listed = memos(key, "cubes", "ls", "cli-notes", "--tag", "people");
        assertTrue(listed.out().contains(id) && listed.out().contains("ACTIVATED"), listed.out());

        Cli.Run found = memos(key, "search", "where does Bob live?", "--space", "cli-notes", "--wait", "-k", "1");
        assertEquals(0, found.exit(), found.err());
        assertTrue(found.out().contains(id), found.out());
        Cli.Run check = memos(adminKey, "admin", "index-check");
        assertEquals(0, check.exit(), check.err() + check.out());
        assertEquals(ExitCodes.DENIED, memos(key, "admin", "reindex").exit());

        Cli.Run erased = memos(key, "cubes", "rm", id, "--wait");
        assertEquals(0, erased.exit(), erased.err());
        assertTrue(erased.out().contains("VERIFIED") && erased.out().contains("search-index"), erased.out());
        assertTrue(memos(key, "cubes", "ls", "cli-notes").out().lines().count() == 1, "only the header is left");
        Cli.Run audit = memos(key, "audit", "ls", "--space", "cli-notes");
        assertTrue(audit.out().contains("cube.erased") && audit.out().contains("space.created"), audit.out());
        Cli.Run verified = memos(adminKey, "audit", "verify");
        assertEquals(0, verified.exit(), verified.err());
        assertTrue(verified.out().contains("intact:") && verified.out().contains("true"), verified.out());
    }

    @Test
    void failures_have_meaningful_exit_codes_and_messages() {
        Cli.Run noKey = memos("memos_wrong", "spaces", "ls");
        assertEquals(ExitCodes.DENIED, noKey.exit());
        assertTrue(noKey.err().contains("401"), noKey.err());
        Cli.Run missing = memos(adminKey, "cubes", "show", "01a2e6a0-0000-7000-8000-000000000000");
        assertEquals(ExitCodes.NOT_FOUND, missing.exit());
        Cli.Run invalid = memos(adminKey, "cubes", "show", "not-an-id");
        assertEquals(ExitCodes.USAGE, invalid.exit());
        Cli.Run usage = memos(adminKey, "cubes", "write");
        assertEquals(ExitCodes.USAGE, usage.exit());

        CommandLine cli = MemosCli.commandLine();
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(new StringWriter()));
        assertEquals(6, cli.execute("status", "--url", "http://127.0.0.1:1"));
        assertEquals(0, cli.execute("cubes", "write", "--help"));
        assertTrue(out.toString().contains("Example") && out.toString().contains("Exit codes"), out.toString());
    }
}
