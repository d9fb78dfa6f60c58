package dev.memos.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.memos.client.MemosClient;
import dev.memos.client.MemosException;
import dev.memos.client.model.Cube;
import dev.memos.client.model.Spaces;
import java.util.function.Function;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code memos export} and {@code memos import}: a space with its history and lineage, to and from an archive. */
final class ArchiveCommands {
    private ArchiveCommands() {
    }

    @Command(name = "export", description = "Write a space into a portable, checksummed archive: its description and "
            + "every cube with all its versions (DELETED cubes are left out). Needs READ on the space.",
            footer = {"%nExample:", "  ./memos export notes notes.memos.zip", ExitCodes.HELP})
    static final class Export extends ApiCommand {
        @Parameters(index = "0", description = "Space name.")
        String space;
        @Parameters(index = "1", description = "The archive to write (a zip).")
        Path file;
        @Option(names = "--force", description = "Overwrite the file if it exists.")
        boolean force;
        @Option(names = "--redact", description = "Replace what the service's detectors find (emails, phone numbers,"
                + " payment cards, IBANs, IP addresses, national ids) with [<label>] in every text.")
        boolean redact;

        @Override
        void run(MemosClient memos, Printer out) {
            refuseExisting(file, force);
            Spaces.Space info = memos.spaces().get(space);
            ObjectNode manifest = manifest(memos, redact);
            manifest.putObject("space").put("name", space).put("description", info.description());
            ObjectNode written = write(err(), file, manifest, cursor -> memos.spaces().export(space, cursor, null, redact));
            out.object(written, "space/name", "cubes", "versions", "files/cubes.jsonl/sha256");
            out.message("wrote " + file);
        }
    }

    static void refuseExisting(Path file, boolean force) {
        if (Files.exists(file) && !force) {
            throw new CliException(ExitCodes.CONFLICT, file + " exists; pass --force to overwrite it");
        }
    }

    static ObjectNode manifest(MemosClient memos, boolean redact) {
        ObjectNode manifest = MemosClient.json().createObjectNode();
        manifest.put("format", Archive.FORMAT).put("formatVersion", Archive.FORMAT_VERSION)
                .put("exportedAt", Instant.now().toString()).put("exportedFrom", memos.url());
        manifest.put("redacted", redact);
        return manifest;
    }

    /** Writes every cube of the pages {@code export} gives (by cursor) into an archive, with progress; returns the manifest. */
    static ObjectNode write(java.io.PrintWriter err, Path file, ObjectNode manifest,
                            Function<String, dev.memos.client.model.Archive.ExportPage> export) {
        Progress progress = new Progress(err, "cubes", -1);
        long[] skipped = {0};
        ObjectNode written;
        try {
            written = Archive.write(file, manifest, sink -> {
                long versions = 0;
                long cubes = 0;
                String cursor = null;
                do {
                    dev.memos.client.model.Archive.ExportPage page = export.apply(cursor);
                    for (JsonNode cube : Printer.tree(page.items())) {
                        if (hasBlob(cube)) {
                            skipped[0]++; // activation and parameter cubes: archives carry no blobs (yet)
                            continue;
                        }
                        sink.accept(cube);
                        versions += cube.path("versions").size();
                        progress.update(++cubes);
                    }
                    cursor = page.nextCursor();
                } while (cursor != null);
                progress.finish(cubes);
                return versions;
            });
        } catch (IOException e) {
            throw new CliException(ExitCodes.FAILED, "cannot write " + file + ": " + e.getMessage());
        }
        if (skipped[0] > 0) {
            err.println("left out " + skipped[0] + " activation and parameter cubes: archives carry no blobs yet "
                    + "(activation cubes are compiled again from their sources; keep adapter files yourself)");
            err.flush();
        }
        return written;
    }

    private static boolean hasBlob(JsonNode cube) {
        for (JsonNode v : cube.path("versions")) {
            if (v.hasNonNull("blob") || !"PLAINTEXT".equals(v.path("tier").asText("PLAINTEXT"))) {
                return true;
            }
        }
        return false;
    }

    @Command(name = "import", description = "Read an archive into a space (created when missing; needs ADMIN on it): "
            + "every cube with its id, versions, provenance and state; lineage is recorded again. The archive is "
            + "verified before anything is written. Cubes already there are skipped, so an interrupted import "
            + "can simply be run again.",
            footer = {"%nExamples:", "  ./memos import notes.memos.zip", "  ./memos import notes.memos.zip --space notes-copy",
                    ExitCodes.HELP})
    static final class Import extends ApiCommand {
        @Parameters(index = "0", description = "The archive to read.")
        Path file;
        @Option(names = "--space", description = "Import into this space (default: the archive's).")
        String into;

        @Override
        void run(MemosClient memos, Printer out) {
            if (!Files.isReadable(file)) {
                throw new CliException(ExitCodes.NOT_FOUND, "cannot read " + file);
            }
            try (Archive.Opened archive = Archive.open(file)) {
                JsonNode manifest = archive.manifest();
                String space = into != null ? into : manifest.path("space").path("name").asText(null);
                if (space == null) {
                    throw new CliException(ExitCodes.USAGE, "the archive names no space (a subject export): pass"
                            + " --space SPACE");
                }
                ensureSpace(memos, space, manifest.path("space").path("description").asText(null));
                long total = manifest.path("cubes").asLong();
                Progress progress = new Progress(err(), "cubes", total);
                int[] counts = new int[2];
                List<String> failed = new ArrayList<>();
                archive.forEachCube(cube -> {
                    String id = cube.path("id").asText();
                    try {
                        List<Cube> versions = MemosClient.json().convertValue(cube.path("versions"), VERSIONS);
                        counts[memos.spaces().importCube(space, versions).imported() ? 0 : 1]++;
                    } catch (MemosException.Api e) {
                        if (e instanceof MemosException.Unauthenticated || e instanceof MemosException.Forbidden) {
                            throw e;
                        }
                        failed.add(id + ": HTTP " + e.status() + ": " + e.problem().detail());
                    }
                    progress.update(counts[0] + counts[1] + failed.size());
                });
                progress.finish(counts[0] + counts[1] + failed.size());
                failed.stream().limit(20).forEach(f -> err().println("  not imported " + f));
                err().flush();
                Map<String, Object> summary = new LinkedHashMap<>();
                summary.put("space", space);
                summary.put("imported", counts[0]);
                summary.put("alreadyThere", counts[1]);
                summary.put("failed", failed.size());
                out.object(summary, "space", "imported", "alreadyThere", "failed");
                if (!failed.isEmpty()) {
                    throw new CliException(ExitCodes.FAILED, failed.size() + " of " + total + " cubes were not imported");
                }
            } catch (IOException e) {
                throw new CliException(ExitCodes.FAILED, "cannot read " + file + ": " + e.getMessage());
            }
        }

        private static final TypeReference<List<Cube>> VERSIONS = new TypeReference<>() {
        };

        private static void ensureSpace(MemosClient memos, String space, String description) {
            try {
                memos.spaces().get(space);
            } catch (MemosException.NotFound missing) {
                memos.spaces().create(space, description);
            }
        }
    }
}
