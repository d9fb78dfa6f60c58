package dev.memos.cli;

import dev.memos.client.MemosClient;
import dev.memos.client.model.Archive;
import dev.memos.client.model.Cube;
import dev.memos.client.model.Erasure;
import dev.memos.client.model.Page;
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
        void run(MemosClient memos, Printer out) {
            Page<Cube> page = memos.privacy().subjectCubes(subject, cursor, limit);
            out.rows(page, "items", "id", "space", "version", "state", "kind", "text");
            if (page.hasMore()) {
                out.message("more: --cursor " + page.nextCursor());
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
        void run(MemosClient memos, Printer out) {
            ArchiveCommands.refuseExisting(file, force);
            ObjectNode manifest = ArchiveCommands.manifest(memos, redact);
            manifest.put("subject", subject);
            manifest.putObject("space").putNull("name").put("description", "everything about " + subject);
            ObjectNode written = ArchiveCommands.write(err(), file, manifest,
                    cursor -> memos.privacy().exportSubject(subject, cursor, null, redact));
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
        void run(MemosClient memos, Printer out) {
            if (replace == null && renamed == null) {
                throw new CliException(ExitCodes.USAGE, "give --replace with --with, or --subject, or both");
            }
            if (replace != null && with == null) {
                throw new CliException(ExitCodes.USAGE, "--replace needs --with");
            }
            Archive.Rectified done = memos.privacy().rectify(subject, new Archive.Rectify(replace, with, renamed));
            out.rows(done, "changed", "id", "space", "version", "text");
            out.message(done.changed().size() + " cubes changed, " + done.unchanged() + " unchanged, "
                    + done.skipped().size() + " skipped");
            for (Archive.Skipped skipped : done.skipped()) {
                out.message("skipped " + skipped.cube() + ": " + skipped.reason());
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
        void run(MemosClient memos, Printer out) {
            for (Erasure erasure : memos.privacy().eraseSubject(subject, cascade, reason).erasures()) {
                out.message("space " + erasure.space() + ": erasure " + erasure.id() + ", " + erasure.cubeCount() + " cubes");
                ErasureCommands.report(memos, out, err(), erasure, wait);
            }
        }
    }
}
