package dev.memos.client;

import dev.memos.testkit.Scratch;
import org.awaitility.Awaitility;
import com.fasterxml.jackson.databind.JsonNode;
import dev.memos.client.model.Archive;
import dev.memos.client.model.Cube;
import dev.memos.client.model.CubePatch;
import dev.memos.client.model.Erasure;
import dev.memos.client.model.Lineage;
import dev.memos.client.model.NewCube;
import dev.memos.client.model.Page;
import dev.memos.client.model.Search;
import dev.memos.client.model.Spaces;
import dev.memos.testkit.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The typed client against the packaged service. */
class MemosClientIT {
    private static ServiceProcess service;
    private static MemosClient admin;

    @BeforeAll
    static void start() throws Exception {
        service = new ServiceProcess(ServiceProcess.packagedJar(), Scratch.directory("memos-client"), Map.of()).start();
        admin = MemosClient.builder().url(service.baseUri())
                .apiKey(Files.readString(service.dataDir().resolve("admin.key")).strip()).build();
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
    }

    private static MemosClient as(String name) {
        Spaces.IssuedPrincipal p = admin.createPrincipal(new Spaces.NewPrincipal(name, "agent", false));
        assertEquals(name, p.name());
        return MemosClient.builder().url(service.baseUri()).apiKey(p.apiKey()).build();
    }

    @Test
    void typed_calls_write_read_search_change_and_erase() {
        MemosClient memos = as("client-writer");
        assertEquals("client-writer", memos.whoami().name());
        assertEquals("UP", memos.health().status());
        Spaces.Space space = memos.spaces().create("client-notes", "written by the Java client");
        assertEquals("ADMIN", space.role());
        assertTrue(memos.spaces().list().stream().anyMatch(s -> s.name().equals("client-notes")));

        Cube bees = memos.cubes().write("client-notes", NewCube.of("Dana keeps bees on the roof").kind("fact")
                .tags(List.of("hobby")).subject("Dana"));
        assertEquals(1, bees.version());
        assertEquals("Dana", bees.governance().subject());
        assertEquals("Dana keeps bees on the roof", memos.cubes().get(bees.id()).text());

        Search.Result found = memos.search("client-notes", Search.Request.of("Who keeps bees?").k(1).explain(true)
                .readYourWrites());
        assertEquals(bees.id(), found.hits().getFirst().cube().id());
        assertTrue(found.hits().getFirst().explanation().fused() > 0);
        assertFalse(memos.search(Search.Request.of("bees roof").readYourWrites()).hits().isEmpty());

        Cube changed = memos.cubes().update(bees.id(), 1, CubePatch.text("Dana keeps bees in the garden"));
        assertEquals(2, changed.version());
        MemosException.StaleVersion stale = assertThrows(MemosException.StaleVersion.class,
                () -> memos.cubes().update(bees.id(), 1, CubePatch.text("stale")));
        assertEquals(412, stale.status());
        assertEquals(2, memos.cubes().versions(bees.id()).items().size());
        assertEquals("Dana keeps bees on the roof", memos.cubes().version(bees.id(), 1).text());

        Cube derived = memos.cubes().write("client-notes", NewCube.of("Dana sells honey").derivedFrom(List.of(bees.id())));
        // lineage is recorded after the write commits
        Lineage.Graph graph = Awaitility.await("the derived cube's lineage").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> memos.cubes().lineage(derived.id(), "ancestors", null), g -> !g.edges().isEmpty());
        assertTrue(graph.edges().stream().anyMatch(e -> e.type().equals("DERIVED_FROM")), graph.toString());
        assertFalse(memos.cubes().provenance(derived.id()).steps().isEmpty());

        Erasure erasure = memos.cubes().delete(bees.id(), true, "asked to forget");
        assertEquals("CUBE", erasure.scope());
        Erasure done = memos.privacy().awaitErasure(erasure.id(), Duration.ofSeconds(90));
        assertEquals("VERIFIED", done.status(), done.toString());
        assertEquals("DELETED", memos.cubes().get(derived.id()).state(), "cascade erased the derived cube");
    }

    /** The example of docs/client.md and the README, as written there (keep them the same). */
    @Test
    void the_documented_example_runs() {
        String key = admin.createPrincipal(new Spaces.NewPrincipal("client-docs", "agent", false)).apiKey();
        String url = service.baseUri();
        // --- docs/client.md ---
        MemosClient memos = MemosClient.builder()
                .url(url)
                .apiKey(key)
                .build();

        memos.spaces().create("notes", "what the planner learns");
        Cube tea = memos.cubes().write("notes", NewCube.of("Alice prefers green tea").kind("preference")
                .tags(List.of("drinks")).subject("Alice"));

        Search.Result found = memos.search("notes", Search.Request.of("What does Alice drink?").k(5).readYourWrites());
        found.hits().forEach(hit -> System.out.println(hit.score() + "  " + hit.cube().text()));

        Cube oolong = memos.cubes().update(tea.id(), tea.version(), CubePatch.text("Alice prefers oolong"));
        memos.cubes().listAll("notes", new CubesClient.CubeQuery(null, null, "drinks", null, null, 100))
                .forEach(cube -> System.out.println(cube.id() + " " + cube.text()));

        Erasure erasure = memos.cubes().delete(tea.id(), false, "asked to forget");
        System.out.println(memos.privacy().awaitErasure(erasure.id(), Duration.ofMinutes(2)).status()); // VERIFIED
        // --- end ---
        assertEquals(tea.id(), found.hits().getFirst().cube().id());
        assertEquals(2, oolong.version());
        assertEquals("VERIFIED", memos.privacy().erasure(erasure.id()).status());
    }

    @Test
    void a_write_with_the_same_idempotency_key_answers_the_first_cube() {
        MemosClient memos = as("client-retrier");
        memos.spaces().create("client-idem", null);
        NewCube once = NewCube.of("Eve's flight lands at nine").idempotencyKey("flight-eve-1");
        Cube first = memos.cubes().write("client-idem", once);
        Cube again = memos.cubes().write("client-idem", once);
        assertEquals(first.id(), again.id());
        Cube other = memos.cubes().write("client-idem", NewCube.of("Eve's flight lands at nine"));
        assertNotEquals(first.id(), other.id(), "without a key of its own each write gets a fresh one");
    }

    @Test
    void problems_become_typed_exceptions() {
        MemosClient owner = as("client-owner");
        owner.spaces().create("client-private", null);
        Cube secret = owner.cubes().write("client-private", NewCube.of("the safe's code is 4312"));
        MemosClient stranger = as("client-stranger");

        assertThrows(MemosException.NotFound.class, () -> stranger.cubes().get(secret.id()));
        assertThrows(MemosException.NotFound.class, () -> stranger.cubes().update(secret.id(), 1, CubePatch.text("x")));
        MemosException.Api refused = assertThrows(MemosException.Api.class,
                () -> stranger.cubes().write("client-private", NewCube.of("planted")));
        assertTrue(refused instanceof MemosException.Forbidden || refused instanceof MemosException.NotFound, refused.toString());
        MemosException.Invalid invalid = assertThrows(MemosException.Invalid.class,
                () -> owner.cubes().write("client-private", NewCube.of("x").priority(1000)));
        assertEquals("priority", invalid.problem().field());
        assertEquals("invalid", invalid.problem().code());
        assertThrows(MemosException.Invalid.class, () -> owner.cubes().get("not-a-cube-id"));
        assertThrows(MemosException.Conflict.class, () -> owner.spaces().create("client-private", null));
        assertThrows(MemosException.Forbidden.class, () -> owner.admin().checkIndex());
        MemosClient nobody = MemosClient.builder().url(service.baseUri()).apiKey("wrong-key-0123456789").build();
        assertThrows(MemosException.Unauthenticated.class, nobody::whoami);
        MemosClient nowhere = MemosClient.builder().url("http://127.0.0.1:9").retries(1).backoff(Duration.ofMillis(1)).build();
        assertThrows(MemosException.Unreachable.class, nowhere::whoami);
    }

    @Test
    void paging_helpers_walk_every_page() {
        MemosClient memos = as("client-pager");
        memos.spaces().create("client-pages", null);
        for (int i = 0; i < 7; i++) {
            memos.cubes().write("client-pages", NewCube.of("note number " + i).tags(List.of("n")));
        }
        CubesClient.CubeQuery twoAtATime = new CubesClient.CubeQuery(null, null, "n", null, null, 2);
        Page<Cube> first = memos.cubes().list("client-pages", twoAtATime, null);
        assertEquals(2, first.items().size());
        assertTrue(first.hasMore());
        List<String> texts = memos.cubes().listAll("client-pages", twoAtATime).map(Cube::text).toList();
        assertEquals(List.of("note number 0", "note number 1", "note number 2", "note number 3", "note number 4",
                "note number 5", "note number 6"), texts);
        assertTrue(admin.privacy().auditAll(null).anyMatch(e -> e.action().equals("space.created")));
    }

    @Test
    void grants_exports_imports_ingestion_and_the_admin_calls() {
        MemosClient owner = as("client-sharer");
        owner.spaces().create("client-shared", null);
        Cube fact = owner.cubes().write("client-shared", NewCube.of("Frank likes teal"));
        MemosClient reader = as("client-reader");
        String readerId = reader.whoami().id();
        Spaces.Grant grant = owner.spaces().grant("client-shared", readerId, Spaces.GrantRequest.of("read"));
        assertEquals("READ", grant.role());
        assertEquals("Frank likes teal", reader.cubes().get(fact.id()).text());
        owner.spaces().revoke("client-shared", readerId);
        assertThrows(MemosException.NotFound.class, () -> reader.cubes().get(fact.id()));

        Archive.ExportPage page = owner.spaces().export("client-shared", null, null, false);
        assertEquals(fact.id(), page.items().getFirst().id());
        owner.spaces().create("client-copy", null);
        Archive.Imported imported = owner.spaces().importCube("client-copy", page.items().getFirst().versions());
        assertTrue(imported.imported());

        JsonNode record = MemosClient.json().valueToTree(Map.of("type", "turn", "space", "client-shared",
                "idempotencyKey", "conv-1/turn-1", "speaker", "Gina", "text", "I play the cello every evening."));
        Archive.Ingested ingested = owner.ingest(List.of(record));
        assertEquals(1, ingested.written(), ingested.toString());
        assertEquals("client-shared", owner.indexLag("client-shared").space());
        assertEquals(ingested.results().getFirst().cubes(), owner.ingest(List.of(record)).results().getFirst().cubes(),
                "a record sent again changes nothing");

        assertTrue(admin.admin().checkIndex().cubes() > 0);
        assertTrue(admin.privacy().verifyAudit().intact());
        assertEquals(List.of(), owner.schedulerLog("client-shared", 10, null).items(), "no scheduler run yet");
        MemosException.Api noLog = assertThrows(MemosException.Api.class, () -> reader.schedulerLog("client-shared", 10, null));
        assertTrue(noLog.status() == 403 || noLog.status() == 404, noLog.toString());
    }
}
