package dev.memos.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Data-subject operations: everything about one person, across the spaces the caller administers. */
@Command(name = "subjects", description = "Everything memos holds about a person (cubes whose subject names them),"
        + " across the spaces you administer: list, export, rectify, erase.",
        subcommands = {SubjectCommands.Ls.class, SubjectCommands.Export.class, SubjectCommands.Rectify.class,
                SubjectCommands.Erase.class})
final class SubjectCommands {
    private SubjectCommands() {
    }

    private static String path(String subject) {
        return "/v1/subjects/" + HttpApi.segment(subject);
    }

    @Command(name = "ls", description = "List the cubes about a subject (live versions, by id).",
            footer = {"%nExample:", "  ./memos subjects ls 'Caroline'", ExitCodes.HELP})
    static final class Ls extends ApiCommand {
        @Parameters(index = "0", description = "The subject, as cubes name it.")
        String subject;
        @Option(names = "--limit", description = "Page size, 1-200 (default 50).")
        Integer limit;
        @Option(names = "--cursor", description = "Continue after this cursor (printed under a full page).")
        String cursor;

        @Override
        void run(HttpApi api, Printer out) {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("limit", limit == null ? null : limit.toString());
            q.put("cursor", cursor);
            JsonNode page = api.get(path(subject) + "/cubes" + HttpApi.query(q));
            out.rows(page, page.path("items"), "id", "space", "version", "state", "kind", "text");
            if (page.hasNonNull("nextCursor")) {
                out.message("more: --cursor " + page.get("nextCursor").asText());
            }
        }
    }

    @Command(name = "export", description = "Write everything about a subject, with every version, into a portable"
            + " archive (the format of ./memos export; import it with ./memos import FILE --space SPACE).",
            footer = {"%nExample:", "  ./memos subjects export 'Caroline' caroline.memos.zip --redact", ExitCodes.HELP})
    static final class Export extends ApiCommand {
        @Parameters(index = "0", description = "The subject.")
        String subject;
        @Parameters(index = "1", description = "The archive to write (a zip).")
        Path file;
        @Option(names = "--force", description = "Overwrite the file if it exists.")
        boolean force;
        @Option(names = "--redact", description = "Replace what the service's detectors find with [<label>].")
        boolean redact;

        @Override
        void run(HttpApi api, Printer out) {
            ArchiveCommands.refuseExisting(file, force);
            ObjectNode manifest = ArchiveCommands.manifest(api, redact);
            manifest.put("subject", subject);
            manifest.putObject("space").putNull("name").put("description", "everything about " + subject);
            ObjectNode written = ArchiveCommands.write(api, err(), file, manifest, path(subject) + "/export", redact);
            out.object(written, "subject", "cubes", "versions", "files/cubes.jsonl/sha256");
            out.message("wrote " + file);
        }
    }

    @Command(name = "rectify", description = "Correct what memos holds about a subject: in each cube whose text"
            + " contains --replace, a new version with --with instead; --subject moves the cubes to a corrected"
            + " subject. Earlier versions stay in the history (erase the subject to remove them).",
            footer = {"%nExamples:", "  ./memos subjects rectify 'Caroline' --replace 'caro@old.example' --with 'caro@new.example'",
                    "  ./memos subjects rectify 'Carolin' --subject 'Caroline'", ExitCodes.HELP})
    static final class Rectify extends ApiCommand {
        @Parameters(index = "0", description = "The subject.")
        String subject;
        @Option(names = "--replace", description = "Text to replace in the live versions.")
        String replace;
        @Option(names = "--with", description = "What replaces it (may be empty).")
        String with;
        @Option(names = "--subject", description = "The corrected subject.")
        String renamed;

        @Override
        void run(HttpApi api, Printer out) {
            if (replace == null && renamed == null) {
                throw new CliException(ExitCodes.USAGE, "give --replace with --with, or --subject, or both");
            }
            if (replace != null && with == null) {
                throw new CliException(ExitCodes.USAGE, "--replace needs --with");
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("replace", replace);
            body.put("with", with);
            body.put("subject", renamed);
            JsonNode done = api.post(path(subject) + "/rectify", body);
            out.rows(done, done.path("changed"), "id", "space", "version", "text");
            out.message(done.path("changed").size() + " cubes changed, " + done.path("unchanged").asInt()
                    + " unchanged, " + done.path("skipped").size() + " skipped");
            for (JsonNode skipped : done.path("skipped")) {
                out.message("skipped " + skipped.path("cube").asText() + ": " + skipped.path("reason").asText());
            }
        }
    }

    @Command(name = "erase", description = "Erase everything about a subject in the spaces you administer: one"
            + " erasure per space, each with its report (./memos erasures show ID).",
            footer = {"%nExample:", "  ./memos subjects erase 'Caroline' --cascade --wait", ExitCodes.HELP})
    static final class Erase extends ApiCommand {
        @Parameters(index = "0", description = "The subject.")
        String subject;
        @Option(names = "--cascade", description = "Also erase the cubes derived from them.")
        boolean cascade;
        @Option(names = "--reason", description = "Why (kept in the event log until the erasure scrubs it).")
        String reason;
        @Option(names = "--wait", description = "Wait for each report to be complete.")
        boolean wait;

        @Override
        void run(HttpApi api, Printer out) {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("cascade", cascade ? "true" : null);
            q.put("reason", reason);
            JsonNode done = api.delete(path(subject) + HttpApi.query(q));
            for (JsonNode erasure : done.path("erasures")) {
                out.message("space " + erasure.path("space").asText() + ": erasure " + erasure.path("id").asText()
                        + ", " + erasure.path("cubeCount").asLong() + " cubes");
                ErasureCommands.report(api, out, err(), erasure, wait);
            }
        }
    }
}
