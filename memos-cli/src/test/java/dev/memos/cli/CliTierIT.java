package dev.memos.cli;

import dev.memos.testkit.Scratch;
import java.time.Duration;
import org.awaitility.Awaitility;
import dev.memos.testkit.ServiceProcess;
import dev.memos.testkit.gguf.RandomModels;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tiers from a terminal, against a packaged service with a generated model: compile activation memory, chat
 * with it, export a distillation set, and import an adapter whose lineage names the exported versions.
 */
class CliTierIT {

    @Test
    void activation_chat_distill_and_adapter_import_from_the_terminal() throws Exception {
        Path data = Scratch.directory("memos-cli-tiers");
        Path model = RandomModels.model(data.resolve("tiny.gguf"), RandomModels.Shape.TINY);
        try (ServiceProcess service = new ServiceProcess(ServiceProcess.packagedJar(), data,
                Map.of("MEMOS_ENGINE_MODEL", model.toString(), "MEMOS_ENGINE_CONTEXT_SIZE", "1024")).start()) {
            String key = Files.readString(data.resolve("admin.key")).strip();
            String url = service.baseUri();
            assertEquals(0, Cli.memos(url, key, "spaces", "create", "tiers").exit());
            String a = id(Cli.memos(url, key, "cubes", "write", "tiers", "Nina plays the oboe", "--tag", "music", "-o", "json"));
            String b = id(Cli.memos(url, key, "cubes", "write", "tiers", "Nina teaches on Mondays", "--tag", "work", "-o", "json"));

            Cli.Run together = Cli.memos(url, key, "migrate", "tiers", "--to", "activation", "--together", "-o", "json");
            assertEquals(0, together.exit(), together.err());
            assertEquals("ACTIVATION", together.json().get("tier").asText());
            Cli.Run each = Cli.memos(url, key, "migrate", "tiers", "--to", "activation", "--tag", "music", "-o", "json");
            assertEquals(0, each.exit(), each.err());
            assertEquals(1, each.json().get("migrated").asInt());

            Cli.Run chat = Cli.memos(url, key, "chat", "tiers", "What does Nina play?", "--k", "0", "--max-tokens", "4",
                    "-o", "json");
            assertEquals(0, chat.exit(), chat.err());
            assertTrue(chat.json().get("timings").get("tokensRestored").asInt() > 0, chat.out());
            assertTrue(chat.err().contains("used ACTIVATION"), chat.err());

            Path out = data.resolve("distill");
            Cli.Run distill = Cli.memos(url, key, "distill", "tiers", out.toString(), "--min-age", "PT0S", "-o", "json");
            assertEquals(0, distill.exit(), distill.err());
            assertEquals(2, distill.json().get("examples").asInt());
            List<String> lines = Files.readAllLines(out.resolve("dataset.jsonl"));
            assertEquals(2, lines.size());
            assertTrue(lines.stream().anyMatch(l -> l.contains("Nina plays the oboe") && l.contains("\"assistant\"")), lines.toString());
            String manifest = Files.readString(out.resolve("manifest.json"));
            assertTrue(manifest.contains(a + "@1") && manifest.contains(b + "@1"), manifest);
            assertEquals(ExitCodes.CONFLICT, Cli.memos(url, key, "distill", "tiers", out.toString()).exit());

            Path adapter = RandomModels.lora(data.resolve("lora.gguf"), RandomModels.Shape.TINY, 4, 8f, 5);
            Cli.Run imported = Cli.memos(url, key, "adapters", "import", "tiers", adapter.toString(), "--manifest",
                    out.resolve("manifest.json").toString(), "--scale", "0.5", "-o", "json");
            assertEquals(0, imported.exit(), imported.err());
            String parameter = imported.json().get("id").asText();
            assertEquals(List.of(a, b).stream().sorted().toList(), sorted(imported.json().get("provenance").get("derivedFrom")));
            Cli.Run lineage = awaitLineage(url, key, parameter);
            assertTrue(lineage.out().contains(a + "@1") && lineage.out().contains(b + "@1"), lineage.out());

            Path wrong = RandomModels.lora(data.resolve("wrong.gguf"),
                    new RandomModels.Shape("wider", 128, 2, 4, 2, 128, 0, 1), 4, 8f, 5);
            Cli.Run refused = Cli.memos(url, key, "adapters", "import", "tiers", wrong.toString());
            assertEquals(ExitCodes.USAGE, refused.exit(), refused.err());
            assertTrue(refused.err().contains("another base model"), refused.err());
        }
    }

    private static List<String> sorted(com.fasterxml.jackson.databind.JsonNode ids) {
        List<String> out = new java.util.ArrayList<>();
        ids.forEach(n -> out.add(n.asText()));
        return out.stream().sorted().toList();
    }

    private static Cli.Run awaitLineage(String url, String key, String cube) throws InterruptedException {
        return Awaitility.await("a DERIVED_FROM edge of " + cube).atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> Cli.memos(url, key, "lineage", cube), run -> run.out().contains("DERIVED_FROM"));
    }

    private static String id(Cli.Run run) throws Exception {
        assertEquals(0, run.exit(), run.err());
        return run.json().get("id").asText();
    }
}
