package dev.memos.cli;

import dev.memos.client.MemosClient;
import dev.memos.client.model.Cube;
import dev.memos.client.model.Tiers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The activation and parameter tiers from the command line: distillation sets, adapters, chat. */
final class TierCommands {
    private TierCommands() {
    }

    @Command(name = "distill", description = "Export a space's stable memories as a supervised fine-tuning set for "
            + "training a LoRA adapter elsewhere: <dir>/dataset.jsonl (one chat per memory: the answer is the memory) "
            + "and <dir>/manifest.json (every cube@version). Stable: a live plaintext cube whose live version is at "
            + "least --min-age old, not invalidated and valid now, with heat ≥ --min-heat; hottest first. Import the "
            + "trained adapter with 'memos adapters import … --manifest <dir>/manifest.json'.",
            footer = {"%nExamples:", "  ./memos distill notes out/", "  ./memos distill notes out/ --min-age P30D --limit 100",
                    ExitCodes.HELP})
    static final class Distill extends ApiCommand {
        @Parameters(index = "0", description = "Space name.")
        String space;
        @Parameters(index = "1", description = "Directory to write dataset.jsonl and manifest.json into.")
        Path dir;
        @Option(names = "--min-age", description = "ISO-8601 duration (default P7D).")
        String minAge;
        @Option(names = "--min-heat", description = "Least heat (default 0).")
        Double minHeat;
        @Option(names = "--limit", description = "At most this many memories (default and at most 256).")
        Integer limit;
        @Option(names = "--force", description = "Overwrite existing files.")
        boolean force;

        @Override
        void run(MemosClient memos, Printer out) {
            Path dataset = dir.resolve("dataset.jsonl");
            Path manifestFile = dir.resolve("manifest.json");
            if (!force && (Files.exists(dataset) || Files.exists(manifestFile))) {
                throw new CliException(ExitCodes.CONFLICT, dir + " holds a distillation set already; pass --force");
            }
            JsonNode set = Printer.tree(memos.tiers().distill(space, new Tiers.Distill(minAge, minHeat, limit)));
            try {
                Files.createDirectories(dir);
                try (Writer w = Files.newBufferedWriter(dataset, StandardCharsets.UTF_8)) {
                    for (JsonNode example : set.path("examples")) {
                        ObjectNode line = MemosClient.json().createObjectNode();
                        line.set("messages", example.path("messages"));
                        w.write(MemosClient.json().writeValueAsString(line));
                        w.write('\n');
                    }
                }
                ObjectNode manifest = ((ObjectNode) set.deepCopy()).without("examples");
                Files.writeString(manifestFile, MemosClient.json().writerWithDefaultPrettyPrinter().writeValueAsString(manifest));
            } catch (IOException e) {
                throw new CliException(ExitCodes.FAILED, "cannot write into " + dir + ": " + e.getMessage());
            }
            ObjectNode summary = MemosClient.json().createObjectNode().put("id", set.path("id").asText())
                    .put("space", space).put("examples", set.path("examples").size())
                    .put("scanned", set.path("scanned").asInt()).put("dataset", dataset.toString())
                    .put("manifest", manifestFile.toString());
            out.object(summary, "id", "space", "examples", "scanned", "dataset", "manifest");
        }
    }

    @Command(name = "adapters", description = "Parameter memory: LoRA adapters (GGUF) of a space.",
            subcommands = {AdapterImport.class})
    static final class Adapters {
    }

    @Command(name = "import", description = "Import a LoRA adapter (GGUF) as a parameter cube of the space. The service "
            + "validates it against its model before storing anything. With --manifest (from 'memos distill') its "
            + "lineage names the exact cube versions it was trained on.",
            footer = {"%nExample:", "  ./memos adapters import notes adapter.gguf --manifest out/manifest.json --scale 0.8",
                    ExitCodes.HELP})
    static final class AdapterImport extends ApiCommand {
        @Parameters(index = "0", description = "Space name.")
        String space;
        @Parameters(index = "1", description = "The adapter file (GGUF).")
        Path file;
        @Option(names = "--manifest", description = "The manifest.json of the distillation set it was trained on.")
        Path manifest;
        @Option(names = "--name", description = "A label for the adapter.")
        String name;
        @Option(names = "--scale", description = "The scale chat applies it with (default 1).")
        Float scale;

        @Override
        void run(MemosClient memos, Printer out) {
            byte[] bytes;
            List<String> sources = new ArrayList<>();
            try {
                bytes = Files.readAllBytes(file);
                if (manifest != null) {
                    for (JsonNode cube : MemosClient.json().readTree(manifest.toFile()).path("cubes")) {
                        sources.add(cube.asText());
                    }
                }
            } catch (IOException e) {
                throw new CliException(ExitCodes.NOT_FOUND, "cannot read " + e.getMessage());
            }
            Cube cube = memos.tiers().importAdapter(space, bytes, name, scale,
                    sources.isEmpty() ? null : String.join(",", sources), null);
            out.object(cube, "id", "tier", "state", "blob/sha256", "blob/size", "blob/attributes/rank");
        }
    }

    @Command(name = "chat", description = "Ask the space's memory-augmented chat one question: memories retrieved, the "
            + "space's activation cube restored when it fits, its adapters applied. Prints the answer, then the cubes "
            + "used and the timings (tokens restored vs prefilled, time to first token) on stderr.",
            footer = {"%nExample:", "  ./memos chat notes \"What does Alice drink?\" --k 5", ExitCodes.HELP})
    static final class Chat extends ApiCommand {
        @Parameters(index = "0", description = "Space name.")
        String space;
        @Parameters(index = "1", description = "The question.")
        String question;
        @Option(names = "--k", description = "Memories to retrieve (default 8).")
        Integer k;
        @Option(names = "--max-tokens", description = "Longest answer in tokens (default 256).")
        Integer maxTokens;
        @Option(names = "--no-activation", description = "Do not restore an activation cube (prefill everything).")
        boolean noActivation;
        @Option(names = "--remember", description = "Write the question and answer back as message cubes.")
        boolean remember;

        @Override
        void run(MemosClient memos, Printer out) {
            Tiers.ChatRequest request = new Tiers.ChatRequest(List.of(Tiers.Message.user(question)), k, null, null,
                    !noActivation, null, maxTokens, null, null, null, null, null, remember, null, null);
            Tiers.Answer answer = memos.tiers().chat(space, request);
            out.object(answer, "answer", "finishReason", "model", "activationSkipped", "timings/tokensRestored",
                    "timings/tokensPrefilled", "timings/timeToFirstTokenMs", "timings/totalMs");
            for (Tiers.Used used : answer.cubes()) {
                err().println("  used " + used.tier() + " " + used.id() + "@" + used.version() + " (" + used.as() + ")");
            }
            err().flush();
        }
    }
}
