package dev.memos.cli;

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
        void run(HttpApi api, Printer out) {
            refuseExisting(file, force);
            JsonNode info = api.get("/v1/spaces/" + HttpApi.segment(space));
            ObjectNode manifest = manifest(api, redact);
            manifest.putObject("space").put("name", space).put("description", info.path("description").asText(null));
            ObjectNode written = write(api, err(), file, manifest, "/v1/spaces/" + HttpApi.segment(space) + "/export",
                    redact);
            out.object(written, "space/name", "cubes", "versions", "files/cubes.jsonl/sha256");
            out.message("wrote " + file);
        }
    }

    static void refuseExisting(Path file, boolean force) {
        if (Files.exists(file) && !force) {
            throw new CliException(ExitCodes.CONFLICT, file + " exists; pass --force to overwrite it");
        }
    }

    static ObjectNode manifest(HttpApi api, boolean redact) {
        ObjectNode manifest = HttpApi.JSON.createObjectNode();
        manifest.put("format", Archive.FORMAT).put("formatVersion", Archive.FORMAT_VERSION)
                .put("exportedAt", Instant.now().toString()).put("exportedFrom", api.base());
        manifest.put("redacted", redact);
        return manifest;
    }

    /** Writes every cube an export endpoint pages through into an archive, with progress; returns the manifest. */
    static ObjectNode write(HttpApi api, java.io.PrintWriter err, Path file, ObjectNode manifest, String exportPath,
                            boolean redact) {
        Progress progress = new Progress(err, "cubes", -1);
        long[] skipped = {0};
        ObjectNode written;
        try {
            written = Archive.write(file, manifest, sink -> {
                long versions = 0;
                long cubes = 0;
                String cursor = null;
                do {
                    Map<String, String> query = new LinkedHashMap<>();
                    query.put("cursor", cursor);
                    query.put("redact", redact ? "true" : null);
                    JsonNode page = api.get(exportPath + HttpApi.query(query));
                    for (JsonNode cube : page.path("items")) {
                        if (hasBlob(cube)) {
                            skipped[0]++; // activation and parameter cubes: archives carry no blobs (yet)
                            continue;
                        }
                        sink.accept(cube);
                        versions += cube.path("versions").size();
                        progress.update(++cubes);
                    }
                    cursor = page.path("nextCursor").asText(null);
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
        void run(HttpApi api, Printer out) {
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
                ensureSpace(api, space, manifest.path("space").path("description").asText(null));
                long total = manifest.path("cubes").asLong();
                Progress progress = new Progress(err(), "cubes", total);
                int[] counts = new int[2];
                List<String> failed = new ArrayList<>();
                archive.forEachCube(cube -> {
                    String id = cube.path("id").asText();
                    try {
                        JsonNode result = api.post("/v1/spaces/" + HttpApi.segment(space) + "/import",
                                Map.of("versions", cube.path("versions")));
                        counts[result.path("imported").asBoolean() ? 0 : 1]++;
                    } catch (CliException e) {
                        if (e.exitCode() == ExitCodes.UNREACHABLE || e.exitCode() == ExitCodes.DENIED) {
                            throw e;
                        }
                        failed.add(id + ": " + e.getMessage());
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
                out.object(HttpApi.JSON.valueToTree(summary), "space", "imported", "alreadyThere", "failed");
                if (!failed.isEmpty()) {
                    throw new CliException(ExitCodes.FAILED, failed.size() + " of " + total + " cubes were not imported");
                }
            } catch (IOException e) {
                throw new CliException(ExitCodes.FAILED, "cannot read " + file + ": " + e.getMessage());
            }
        }

        private static void ensureSpace(HttpApi api, String space, String description) {
            try {
                api.get("/v1/spaces/" + HttpApi.segment(space));
            } catch (CliException missing) {
                if (missing.exitCode() != ExitCodes.NOT_FOUND) {
                    throw missing;
                }
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("name", space);
                if (description != null) {
                    body.put("description", description);
                }
                api.post("/v1/spaces", body);
            }
        }
    }
}
