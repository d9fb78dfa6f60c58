package dev.memos.cli;

import dev.memos.client.MemosClient;
import dev.memos.client.model.Archive;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/** Feeds conversations and documents from files into a space through {@code POST /v1/ingest}. */
@Command(name = "ingest", description = "Turn conversation files (JSON, JSONL) and documents (text, markdown) into "
        + "memories: sentence-level facts keeping speaker, time and source. A directory is read recursively. "
        + "Running it again on the same files creates nothing new.",
        footer = {"%nInput:",
                "  *.jsonl          one JSON object per line: a message {\"speaker\",\"text\",\"time\"?} or an ingest",
                "                   record (docs/ingest.md: type turn|messages|document|memory)",
                "  *.json           an array of such objects, or {\"messages\": [ … ]}",
                "  *.txt, *.md      a document: paragraphs split on blank lines, titled by the file name",
                "%nExamples:", "  ./memos ingest notes chat-2024-05.jsonl", "  ./memos ingest notes ./meeting-notes/",
                ExitCodes.HELP})
final class IngestCommand extends ApiCommand {
    /** Records a request carries; the service takes at most 500 and 1 MiB. */
    private static final int BATCH = 100;
    private static final int BATCH_BYTES = 512 * 1024;
    private static final int DOCUMENT_BYTES = 256 * 1024;

    @Parameters(index = "0", description = "Space name.")
    String space;
    @Parameters(index = "1", description = "A file or a directory.")
    Path input;
    @Option(names = "--tag", description = "Tag every memory; repeat for more.")
    List<String> tags;

    @Override
    void run(MemosClient memos, Printer out) {
        if (!Files.exists(input)) {
            throw new CliException(ExitCodes.NOT_FOUND, "no file or directory " + input);
        }
        List<Path> files = files();
        List<ObjectNode> records = new ArrayList<>();
        int skipped = 0;
        for (Path file : files) {
            List<ObjectNode> fromFile = records(file);
            if (fromFile == null) {
                skipped++;
            } else {
                records.addAll(fromFile);
            }
        }
        Progress progress = new Progress(err(), "records", records.size());
        int written = 0;
        int created = 0;
        List<String> rejected = new ArrayList<>();
        int from = 0;
        while (from < records.size()) {
            int to = from;
            long bytes = 0;
            while (to < records.size() && to - from < BATCH && (to == from || bytes + size(records.get(to)) < BATCH_BYTES)) {
                bytes += size(records.get(to++));
            }
            Archive.Ingested answer = memos.ingest(List.copyOf(records.subList(from, to)));
            written += answer.written();
            created += answer.created();
            for (int i = 0; i < answer.results().size(); i++) {
                Archive.IngestResult result = answer.results().get(i);
                if ("rejected".equals(result.status())) {
                    rejected.add(records.get(from + i).path("idempotencyKey").asText() + ": " + result.reason() + " — "
                            + result.message());
                }
            }
            from = to;
            progress.update(from);
        }
        progress.finish(records.size());
        rejected.stream().limit(20).forEach(r -> err().println("  rejected " + r));
        err().flush();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("space", space);
        summary.put("files", files.size() - skipped);
        summary.put("skippedFiles", skipped);
        summary.put("records", records.size());
        summary.put("written", written);
        summary.put("rejected", rejected.size());
        summary.put("cubesCreated", created);
        out.object(summary, summary.keySet().toArray(String[]::new));
        if (!rejected.isEmpty()) {
            throw new CliException(ExitCodes.FAILED, rejected.size() + " of " + records.size() + " records were rejected");
        }
    }

    private List<Path> files() {
        if (!Files.isDirectory(input)) {
            return List.of(input);
        }
        try (Stream<Path> walk = Files.walk(input)) {
            return walk.filter(Files::isRegularFile).filter(IngestCommand.this::visible)
                    .sorted().toList();
        } catch (IOException e) {
            throw new CliException(ExitCodes.FAILED, "cannot read " + input + ": " + e.getMessage());
        }
    }

    /** False for hidden files and files in hidden directories under the input. */
    private boolean visible(Path file) {
        for (Path part : input.relativize(file)) {
            if (part.toString().startsWith(".")) {
                return false;
            }
        }
        return true;
    }

    /** The ingest records of one file, or null when the file is of no kind memos reads. */
    private List<ObjectNode> records(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String source = (Files.isDirectory(input) ? input.relativize(file) : file.getFileName()).toString();
        try {
            if (name.endsWith(".txt") || name.endsWith(".md") || name.endsWith(".markdown")) {
                return document(source, Files.readString(file, StandardCharsets.UTF_8));
            }
            List<JsonNode> items = new ArrayList<>();
            if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
                int n = 0;
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    n++;
                    if (!line.isBlank()) {
                        items.add(parse(line, source + ":" + n));
                    }
                }
            } else if (name.endsWith(".json")) {
                JsonNode root = parse(Files.readString(file, StandardCharsets.UTF_8), source);
                JsonNode list = root.isArray() ? root : root.path("messages");
                if (!list.isArray()) {
                    throw new CliException(ExitCodes.USAGE, source + ": expected an array or {\"messages\": [ … ]}");
                }
                list.forEach(items::add);
            } else {
                return null;
            }
            List<ObjectNode> records = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                records.add(record(items.get(i), source + "#" + (i + 1)));
            }
            return records;
        } catch (IOException e) {
            throw new CliException(ExitCodes.FAILED, "cannot read " + file + ": " + e.getMessage());
        }
    }

    private static JsonNode parse(String text, String where) {
        try {
            return MemosClient.json().readTree(text);
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, where + " is not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** An ingest record as it is (space and key filled in when absent), or a message turned into a turn record. */
    private ObjectNode record(JsonNode item, String key) {
        if (!item.isObject()) {
            throw new CliException(ExitCodes.USAGE, key + ": expected a JSON object");
        }
        ObjectNode record;
        if (item.has("type")) {
            record = ((ObjectNode) item).deepCopy();
        } else {
            record = MemosClient.json().createObjectNode().put("type", "turn");
            record.set("speaker", item.path("speaker").isMissingNode() ? item.path("role") : item.path("speaker"));
            record.set("text", item.path("text").isMissingNode() ? item.path("content") : item.path("text"));
            if (item.hasNonNull("time")) {
                record.set("eventTime", item.get("time"));
            }
            record.put("sourceRef", key);
        }
        if (!record.has("space")) {
            record.put("space", space);
        }
        if (!record.has("idempotencyKey")) {
            record.put("idempotencyKey", "file:" + key);
        }
        withTags(record);
        return record;
    }

    private List<ObjectNode> document(String source, String text) {
        List<ObjectNode> records = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        for (String paragraph : text.split("\\n\\s*\\n")) {
            if (part.length() + paragraph.length() > DOCUMENT_BYTES && !part.isEmpty()) {
                records.add(documentRecord(source, part.toString(), records.size() + 1));
                part.setLength(0);
            }
            part.append(paragraph).append("\n\n");
        }
        if (!part.toString().isBlank()) {
            records.add(documentRecord(source, part.toString(), records.size() + 1));
        }
        return records;
    }

    private ObjectNode documentRecord(String source, String text, int part) {
        String title = source.replaceAll("\\.(md|markdown|txt)$", "");
        ObjectNode record = MemosClient.json().createObjectNode().put("type", "document").put("space", space)
                .put("idempotencyKey", "file:" + source + "#" + part).put("title", title).put("text", text.strip())
                .put("sourceRef", source);
        withTags(record);
        return record;
    }

    private void withTags(ObjectNode record) {
        if (tags != null && !tags.isEmpty() && !record.has("tags")) {
            record.set("tags", MemosClient.json().valueToTree(tags));
        }
    }

    private static long size(JsonNode record) {
        return record.toString().length();
    }
}
