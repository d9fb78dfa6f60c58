package dev.memos.cli;

import dev.memos.testkit.Scratch;
import java.time.Duration;
import org.awaitility.Awaitility;
import dev.memos.client.MemosClient;
import dev.memos.client.MemosException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.memos.testkit.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CLI's ingest, diff, lineage, migrate, export and import against two running services: a space built on
 * one instance is exported and imported into a fresh one, then compared cube by cube and edge by edge.
 */
class CliArchiveIT {
    private static ServiceProcess first;
    private static ServiceProcess second;
    private static String firstAdmin;
    private static String secondAdmin;

    @BeforeAll
    static void startServices() throws Exception {
        first = new ServiceProcess(ServiceProcess.packagedJar(), Scratch.directory("memos-cli-a"), Map.of()).start();
        second = new ServiceProcess(ServiceProcess.packagedJar(), Scratch.directory("memos-cli-b"), Map.of()).start();
        firstAdmin = Files.readString(first.dataDir().resolve("admin.key")).strip();
        secondAdmin = Files.readString(second.dataDir().resolve("admin.key")).strip();
    }

    @AfterAll
    static void stopServices() throws Exception {
        first.close();
        second.close();
    }

    private static Cli.Run onFirst(String key, String... args) {
        return Cli.memos(first.baseUri(), key, args);
    }

    private static String id(Cli.Run run) throws Exception {
        assertEquals(0, run.exit(), run.err());
        return run.json().get("id").asText();
    }

    @Test
    void a_space_moves_to_a_fresh_instance_with_its_history_and_lineage() throws Exception {
        Path work = Scratch.directory("memos-cli-files");
        String key = onFirst(firstAdmin, "principals", "create", "archivist", "--kind", "agent", "-o", "json").json()
                .get("apiKey").asText();
        assertEquals(0, onFirst(key, "spaces", "create", "journal", "--description", "Ann's journal").exit());

        // ingest: a conversation and a document; a bad record is reported and the rest still land
        Path chats = Files.createDirectories(work.resolve("in"));
        Files.writeString(chats.resolve("chat.jsonl"), String.join("\n",
                "{\"speaker\":\"Ann\",\"text\":\"I adopted a cat named Miso last week. She hides under the bed.\",\"time\":\"2024-05-01T10:00:00Z\"}",
                "{\"speaker\":\"Ben\",\"text\":\"Cats need a few weeks to settle in a new home.\"}",
                "{\"type\":\"recipe\",\"text\":\"not a record type\"}", ""));
        Files.writeString(chats.resolve("plans.md"), "# Plans\n\nAnn wants to visit Lisbon in June.\n\nShe is learning Portuguese.\n");
        Files.writeString(chats.resolve(".hidden.txt"), "never read");
        Files.writeString(chats.resolve("photo.png"), "not text");
        Cli.Run ingest = onFirst(key, "ingest", "journal", chats.toString(), "--tag", "import-test", "-o", "json");
        assertEquals(ExitCodes.FAILED, ingest.exit(), ingest.err());
        assertTrue(ingest.err().contains("rejected file:chat.jsonl#3") && ingest.err().contains("invalid"), ingest.err());
        JsonNode summary = ingest.json();
        assertEquals(2, summary.get("files").asInt());
        assertEquals(1, summary.get("skippedFiles").asInt());
        assertEquals(3, summary.get("written").asInt());
        int created = summary.get("cubesCreated").asInt();
        assertTrue(created >= 5, ingest.out());
        Cli.Run again = onFirst(key, "ingest", "journal", chats.resolve("plans.md").toString(), "-o", "json");
        assertEquals(0, again.exit(), again.err());
        assertEquals(0, again.json().get("cubesCreated").asInt(), "the same file again creates nothing");

        // history, diff, derivation, lineage
        String fact = id(onFirst(key, "cubes", "write", "journal", "Ann lives in Porto", "--tag", "home", "-o", "json"));
        assertEquals(0, onFirst(key, "cubes", "edit", fact, "--text", "Ann lives in Lisbon now").exit());
        Cli.Run diff = onFirst(key, "cubes", "diff", fact);
        assertEquals(0, diff.exit(), diff.err());
        assertTrue(diff.out().contains("Ann lives in [-Porto-]{+Lisbon now+}"), diff.out());
        assertTrue(diff.out().contains("provenance.operation:") && diff.out().contains("UPDATE"), diff.out());
        assertEquals(ExitCodes.USAGE, onFirst(key, "cubes", "diff", id(onFirst(key, "cubes", "write", "journal",
                "a single version", "-o", "json"))).exit());
        String summaryCube = id(onFirst(key, "cubes", "write", "journal", "Ann moved from Porto to Lisbon",
                "--derived-from", fact, "-o", "json"));
        Cli.Run tree = awaitLineage(key, summaryCube, "DERIVED_FROM");
        assertTrue(tree.out().contains("└─ DERIVED_FROM " + fact + "@2"), tree.out());
        assertTrue(tree.out().contains("VERSION_OF " + fact + "@1"), tree.out());

        // migrate: lifecycle moves in bulk; a tier migration on a service without a model names the setting
        Cli.Run dry = onFirst(key, "migrate", "journal", "--to", "archived", "--tag", "home", "--dry-run");
        assertTrue(dry.out().contains(fact) && dry.out().contains("1 cubes would move"), dry.out());
        assertEquals(0, onFirst(key, "cubes", "transition", fact, "activated").exit());
        Cli.Run moved = onFirst(key, "migrate", "journal", "--to", "archived", "--from", "activated", "-o", "json");
        assertEquals(0, moved.exit(), moved.err());
        assertEquals(1, moved.json().get("moved").asInt());
        Cli.Run tier = onFirst(key, "migrate", "journal", "--to", "activation");
        assertEquals(ExitCodes.UNREACHABLE, tier.exit(), tier.err());
        assertTrue(tier.err().contains("memos.engine.model"), tier.err());
        assertEquals(ExitCodes.USAGE, onFirst(key, "migrate", "journal", "--to", "archived", "--together").exit());

        // export from the first instance, import into the second
        Path archive = work.resolve("journal.memos.zip");
        Cli.Run exported = onFirst(key, "export", "journal", archive.toString(), "-o", "json");
        assertEquals(0, exported.exit(), exported.err());
        int cubes = exported.json().get("cubes").asInt();
        assertEquals(created + 3, cubes);
        assertEquals(ExitCodes.CONFLICT, onFirst(key, "export", "journal", archive.toString()).exit());

        Path damaged = work.resolve("damaged.zip");
        damage(archive, damaged);
        Cli.Run refused = Cli.memos(second.baseUri(), secondAdmin, "import", damaged.toString());
        assertEquals(ExitCodes.USAGE, refused.exit());
        assertTrue(refused.err().contains("checksum"), refused.err());
        org.junit.jupiter.api.Assertions.assertThrows(MemosException.NotFound.class,
                () -> client(second.baseUri(), secondAdmin).spaces().get("journal"), "a damaged archive writes nothing");

        Cli.Run imported = Cli.memos(second.baseUri(), secondAdmin, "import", archive.toString(), "-o", "json");
        assertEquals(0, imported.exit(), imported.err());
        assertEquals(cubes, imported.json().get("imported").asInt());
        Cli.Run resumed = Cli.memos(second.baseUri(), secondAdmin, "import", archive.toString(), "-o", "json");
        assertEquals(cubes, resumed.json().get("alreadyThere").asInt());
        assertEquals(0, resumed.json().get("imported").asInt());

        MemosClient a = client(first.baseUri(), key);
        MemosClient b = client(second.baseUri(), secondAdmin);
        assertEquals("Ann's journal", b.spaces().get("journal").description());
        List<String> ids = new ArrayList<>();
        a.spaces().export("journal", null, 200, false).items().forEach(c -> ids.add(c.id()));
        assertEquals(cubes, ids.size());
        for (String id : ids) {
            assertEquals(versions(a, id), versions(b, id), "cube " + id);
        }
        Set<String> edgesA = edges(a, ids);
        assertTrue(edgesA.stream().anyMatch(e -> e.contains("DERIVED_FROM")) && edgesA.stream().anyMatch(e -> e.contains("VERSION_OF")));
        assertEquals(edgesA, awaitEdges(b, ids, edgesA.size()));

        // the second instance rebuilds its graph from its own database and gets the same edges again
        assertEquals(0, Cli.memos(second.baseUri(), secondAdmin, "admin", "relineage").exit());
        assertEquals(edgesA, edges(b, ids));

        // a data subject: what Ann said is about her; it goes into an archive of its own, then is erased
        Cli.Run about = onFirst(key, "subjects", "ls", "Ann", "-o", "json");
        assertEquals(0, about.exit(), about.err());
        int annCubes = about.json().get("items").size();
        assertTrue(annCubes >= 2, about.out());
        Path annArchive = work.resolve("ann.memos.zip");
        Cli.Run annExport = onFirst(key, "subjects", "export", "Ann", annArchive.toString(), "-o", "json");
        assertEquals(0, annExport.exit(), annExport.err());
        assertEquals(annCubes, annExport.json().get("cubes").asInt());
        Cli.Run nowhere = Cli.memos(second.baseUri(), secondAdmin, "import", annArchive.toString());
        assertEquals(ExitCodes.USAGE, nowhere.exit());
        assertTrue(nowhere.err().contains("--space"), nowhere.err());
        Cli.Run annImport = Cli.memos(second.baseUri(), secondAdmin, "import", annArchive.toString(), "--space",
                "ann-copy", "-o", "json");
        assertEquals(0, annImport.exit(), annImport.err());
        assertEquals(annCubes, annImport.json().get("imported").asInt());
        Cli.Run erased = onFirst(key, "subjects", "erase", "Ann", "--wait");
        assertEquals(0, erased.exit(), erased.err() + erased.out());
        assertTrue(erased.out().contains("VERIFIED"), erased.out());
        assertEquals(0, onFirst(key, "subjects", "ls", "Ann", "-o", "json").json().get("items").size());
    }

    private static Cli.Run awaitLineage(String key, String cube, String expected) throws InterruptedException {
        return Awaitility.await(expected + " in the lineage of " + cube).atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> onFirst(key, "lineage", cube), tree -> tree.out().contains(expected));
    }

    /** Every version as the API shows it, without usage (an import starts usage afresh). */
    private static List<JsonNode> versions(MemosClient api, String id) {
        List<JsonNode> versions = new ArrayList<>();
        api.cubes().versions(id).items().forEach(v -> {
            com.fasterxml.jackson.databind.node.ObjectNode json = MemosClient.json().valueToTree(v);
            json.remove("usage");
            versions.add(json);
        });
        return versions;
    }

    private static MemosClient client(String url, String key) {
        return MemosClient.builder().url(url).apiKey(key).build();
    }

    /** Every edge of every cube's lineage: type, ends, operation, actor and time (event ids name each instance's own log). */
    private static Set<String> edges(MemosClient api, List<String> ids) {
        Set<String> edges = new TreeSet<>();
        for (String id : ids) {
            api.cubes().lineage(id, null, 3).edges().forEach(e -> edges.add(e.from() + " " + e.type() + " " + e.to()
                    + " " + e.operation() + " " + e.actor() + " " + e.at()));
        }
        return edges;
    }

    private static Set<String> awaitEdges(MemosClient api, List<String> ids, int count) throws InterruptedException {
        return Awaitility.await(count + " lineage edges").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100)).until(() -> edges(api, ids), edges -> edges.size() >= count);
    }

    /** A copy of the archive with one character of its cubes changed, the manifest untouched. */
    private static void damage(Path archive, Path copy) throws Exception {
        try (ZipFile zip = new ZipFile(archive.toFile()); OutputStream file = Files.newOutputStream(copy);
             ZipOutputStream out = new ZipOutputStream(file)) {
            for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
                byte[] bytes = zip.getInputStream(entry).readAllBytes();
                if (entry.getName().equals(Archive.CUBES)) {
                    bytes = new String(bytes, StandardCharsets.UTF_8).replaceFirst("Lisbon", "Lisbun")
                            .getBytes(StandardCharsets.UTF_8);
                }
                out.putNextEntry(new ZipEntry(entry.getName()));
                out.write(bytes);
                out.closeEntry();
            }
        }
    }
}
