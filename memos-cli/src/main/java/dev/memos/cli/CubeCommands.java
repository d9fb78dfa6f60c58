package dev.memos.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memos.client.CubesClient;
import dev.memos.client.MemosClient;
import dev.memos.client.model.Cube;
import dev.memos.client.model.CubePatch;
import dev.memos.client.model.Erasure;
import dev.memos.client.model.NewCube;
import dev.memos.client.model.Page;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

@Command(name = "cubes", description = "Write, inspect, change and retire memory cubes.",
        subcommands = {CubeCommands.Ls.class, CubeCommands.Show.class, CubeCommands.History.class, CubeCommands.Diff.class,
                CubeCommands.Write.class, CubeCommands.Edit.class, CubeCommands.Rollback.class,
                CubeCommands.Transition.class, CubeCommands.Release.class, CubeCommands.Rm.class})
final class CubeCommands {
    private static final String[] HEADER = {"id", "version", "space", "state", "kind", "tags", "text",
            "provenance/source", "provenance/sourceRef", "provenance/actor", "provenance/operation",
            "time/validFrom", "time/validTo", "time/recordedAt", "time/supersededAt", "governance/priority",
            "governance/expiresAt", "governance/sensitivity", "governance/purpose", "usage/accessCount"};

    @Command(name = "ls", description = "List a space's cubes (all states but DELETED and QUARANTINED unless --state).",
            footer = {"%nExample:", "  ./memos cubes ls notes --kind preference --tag drinks --limit 20", ExitCodes.HELP})
    static final class Ls extends ApiCommand {
        @Parameters(index = "0", description = "Space name.")
        String space;
        @Option(names = "--state", description = "GENERATED, ACTIVATED, ARCHIVED, MERGED, FROZEN, DELETED or QUARANTINED.")
        String state;
        @Option(names = "--kind", description = "Only this kind.")
        String kind;
        @Option(names = "--tag", description = "Only cubes with this tag.")
        String tag;
        @Option(names = "--valid-at", description = "Only facts holding at this ISO-8601 instant.")
        String validAt;
        @Option(names = "--as-of", description = "Each cube as memos held it at this ISO-8601 instant (recorded time).")
        String asOf;
        @Option(names = "--limit", description = "Page size, 1-200 (default 50).")
        Integer limit;
        @Option(names = "--cursor", description = "Continue after this cursor (printed under a full page).")
        String cursor;

        @Override
        void run(MemosClient memos, Printer out) {
            Page<Cube> page = memos.cubes().list(space, new CubesClient.CubeQuery(state, kind, tag,
                    Args.instant("--valid-at", validAt), Args.instant("--as-of", asOf), limit), cursor);
            out.rows(page, "items", "id", "version", "state", "kind", "tags", "text");
            if (page.hasMore()) {
                out.message("more: --cursor " + page.nextCursor());
            }
        }
    }

    @Command(name = "show", description = "Show a cube's live version, or --version N, or the version memos held at"
            + " --as-of T.",
            footer = {"%nExamples:", "  ./memos cubes show 01a2…-cube-id --version 1",
                    "  ./memos cubes show 01a2…-cube-id --as-of 2026-11-01T00:00:00Z", ExitCodes.HELP})
    static final class Show extends ApiCommand {
        @Parameters(index = "0", description = "Cube id.")
        String id;
        @Option(names = "--version", description = "A past version.")
        Integer version;
        @Option(names = "--as-of", description = "The version memos held as current at this ISO-8601 instant"
                + " (recorded time): what it believed then.")
        String asOf;

        @Override
        void run(MemosClient memos, Printer out) {
            if (version != null && asOf != null) {
                throw new CliException(ExitCodes.USAGE, "give --version or --as-of, not both");
            }
            out.object(version != null ? memos.cubes().version(id, version)
                    : asOf != null ? memos.cubes().getAsOf(id, Args.instant("--as-of", asOf)) : memos.cubes().get(id), HEADER);
        }
    }

    @Command(name = "history", description = "List every version of a cube, oldest first.",
            footer = {"%nExample:", "  ./memos cubes history 01a2…-cube-id", ExitCodes.HELP})
    static final class History extends ApiCommand {
        @Parameters(index = "0", description = "Cube id.")
        String id;

        @Override
        void run(MemosClient memos, Printer out) {
            out.rows(memos.cubes().versions(id), "items", "version", "provenance/operation", "provenance/actor",
                    "time/recordedAt", "time/supersededAt", "text");
        }
    }

    @Command(name = "diff", description = "Show what changed between two versions of a cube: the text word by word, "
            + "then every other field that differs.",
            footer = {"%nExamples:", "  ./memos cubes diff 01a2…-cube-id          (the previous version against the live one)",
                    "  ./memos cubes diff 01a2…-cube-id 1 3", ExitCodes.HELP})
    static final class Diff extends ApiCommand {
        private static final String[] FIELDS = {"kind", "tags", "state", "provenance/operation", "provenance/actor",
                "provenance/source", "provenance/sourceRef", "provenance/derivedFrom", "time/validFrom", "time/validTo",
                "time/recordedAt", "governance/priority", "governance/expiresAt", "governance/sensitivity",
                "governance/purpose"};
        @Parameters(index = "0", description = "Cube id.")
        String id;
        @Parameters(index = "1", arity = "0..1", description = "The older version (default: the one before the newer).")
        Integer from;
        @Parameters(index = "2", arity = "0..1", description = "The newer version (default: the live one).")
        Integer to;

        @Override
        void run(MemosClient memos, Printer out) {
            JsonNode newer = Printer.tree(to == null ? memos.cubes().get(id) : memos.cubes().version(id, to));
            int newVersion = newer.path("version").asInt();
            int oldVersion = from != null ? from : newVersion - 1;
            if (oldVersion < 1) {
                throw new CliException(ExitCodes.USAGE, "cube " + id + " has only version 1: nothing to compare");
            }
            JsonNode older = Printer.tree(memos.cubes().version(id, oldVersion));
            List<TextDiff.Part> text = TextDiff.diff(older.path("text").asText(null), newer.path("text").asText(null));
            ObjectNode result = MemosClient.json().createObjectNode();
            result.put("id", id).put("from", oldVersion).put("to", newVersion);
            ArrayNode words = result.putArray("text");
            text.forEach(p -> words.addObject().put("op", String.valueOf(p.op()).replace(' ', '=')).put("words", p.text()));
            ArrayNode changes = result.putArray("changes");
            for (String field : FIELDS) {
                JsonNode a = older.at("/" + field);
                JsonNode b = newer.at("/" + field);
                if (!a.equals(b)) {
                    ObjectNode change = changes.addObject().put("field", field.replace('/', '.'));
                    change.set("from", a.isMissingNode() ? null : a);
                    change.set("to", b.isMissingNode() ? null : b);
                }
            }
            if (out.isJson()) {
                out.json(result);
                return;
            }
            out.message("cube " + id + ": version " + oldVersion + " → " + newVersion);
            out.message("text: " + TextDiff.render(text));
            for (JsonNode change : changes) {
                out.message(String.format("%-22s %s → %s", change.path("field").asText() + ":",
                        Printer.cell(change.get("from")), Printer.cell(change.get("to"))));
            }
        }
    }

    @Command(name = "write", description = "Write a plaintext cube into a space.",
            footer = {"%nExample:", "  ./memos cubes write notes \"Bob moved to Berlin\" --kind event \\",
                    "      --tag people --valid-from 2025-03-01T00:00:00Z", ExitCodes.HELP})
    static final class Write extends ApiCommand {
        @Parameters(index = "0", description = "Space name.")
        String space;
        @Parameters(index = "1", description = "The memory text.")
        String text;
        @Option(names = "--kind", description = "fact (default), event, preference, …")
        String kind;
        @Option(names = "--tag", description = "A tag; repeat for more.")
        List<String> tags;
        @Option(names = "--valid-from", description = "When the fact starts to hold (ISO-8601).")
        String validFrom;
        @Option(names = "--valid-to", description = "When it stops holding (ISO-8601).")
        String validTo;
        @Option(names = "--expires-at", description = "Time to live (ISO-8601).")
        String expiresAt;
        @Option(names = "--priority", description = "-100 … 100.")
        Integer priority;
        @Option(names = "--idempotency-key", description = "Writing the same key again returns the first cube.")
        String idempotencyKey;
        @Option(names = "--derived-from", description = "A cube this one was made from (you must be able to read it); "
                + "repeat for more. Recorded as lineage.")
        List<String> derivedFrom;

        @Override
        void run(MemosClient memos, Printer out) {
            NewCube cube = NewCube.of(text).kind(kind).tags(tags)
                    .valid(Args.instant("--valid-from", validFrom), Args.instant("--valid-to", validTo))
                    .expiresAt(Args.instant("--expires-at", expiresAt)).priority(priority)
                    .idempotencyKey(idempotencyKey).derivedFrom(derivedFrom);
            out.object(memos.cubes().write(space, cube), HEADER);
        }
    }

    @Command(name = "edit", description = "Change a cube's text, kind or tags: makes a new version.",
            footer = {"%nExample:", "  ./memos cubes edit 01a2…-cube-id --text \"Bob lives in Berlin\"", ExitCodes.HELP})
    static final class Edit extends ApiCommand {
        @Parameters(index = "0", description = "Cube id.")
        String id;
        @Option(names = "--text", description = "New text.")
        String text;
        @Option(names = "--kind", description = "New kind.")
        String kind;
        @Option(names = "--tag", description = "New tags (replace the old ones); repeat for more.")
        List<String> tags;
        @Option(names = "--if-version", description = "Only if the live version is still N (default: the one just read).")
        Integer ifVersion;

        @Override
        void run(MemosClient memos, Printer out) {
            int basedOn = ifVersion != null ? ifVersion : memos.cubes().get(id).version();
            out.object(memos.cubes().update(id, basedOn, CubePatch.none().withText(text).withKind(kind).withTags(tags)),
                    HEADER);
        }
    }

    @Command(name = "rollback", description = "Make a new version carrying an earlier version's payload.",
            footer = {"%nExample:", "  ./memos cubes rollback 01a2…-cube-id 1", ExitCodes.HELP})
    static final class Rollback extends ApiCommand {
        @Parameters(index = "0", description = "Cube id.")
        String id;
        @Parameters(index = "1", description = "The version to restore.")
        int version;

        @Override
        void run(MemosClient memos, Printer out) {
            out.object(memos.cubes().rollback(id, version), HEADER);
        }
    }

    @Command(name = "transition", description = "Move a cube along its lifecycle "
            + "(GENERATED → ACTIVATED ⇄ ARCHIVED, ACTIVATED → MERGED, live → FROZEN, any → DELETED).",
            footer = {"%nExample:", "  ./memos cubes transition 01a2…-cube-id activated --reason \"used daily\"", ExitCodes.HELP})
    static final class Transition extends ApiCommand {
        @Parameters(index = "0", description = "Cube id.")
        String id;
        @Parameters(index = "1", description = "Target state.")
        String to;
        @Option(names = "--reason", description = "Why; kept in the event log.")
        String reason;

        @Override
        void run(MemosClient memos, Printer out) {
            out.object(memos.cubes().transition(id, to, reason), "id", "version", "state");
        }
    }

    @Command(name = "release", description = "Release a QUARANTINED cube into recall (administrators of its space;"
            + " list them with: cubes ls <space> --state QUARANTINED).",
            footer = {"%nExample:", "  ./memos cubes release 01a2…-cube-id --reason \"checked: a quote, not an instruction\"",
                    ExitCodes.HELP})
    static final class Release extends ApiCommand {
        @Parameters(index = "0", description = "Cube id.")
        String id;
        @Option(names = "--reason", description = "Why; kept in the event log.")
        String reason;

        @Override
        void run(MemosClient memos, Printer out) {
            out.object(memos.cubes().release(id, reason), "id", "version", "state");
        }
    }

    @Command(name = "rm", description = "Delete and erase a cube: a tombstone without content stays; every place"
            + " memos keeps data is cleared and checked (./memos erasures show).",
            footer = {"%nExamples:", "  ./memos cubes rm 01a2…-cube-id --wait",
                    "  ./memos cubes rm 01a2…-cube-id --cascade --reason \"asked to forget\"", ExitCodes.HELP})
    static final class Rm extends ApiCommand {
        @Parameters(index = "0", description = "Cube id.")
        String id;

        @Option(names = "--cascade", description = "Also erase the cubes derived from it that you may write.")
        boolean cascade;

        @Option(names = "--reason", description = "Why (kept in no event of the cube).")
        String reason;

        @Option(names = "--wait", description = "Wait for the erasure report.")
        boolean wait;

        @Override
        void run(MemosClient memos, Printer out) {
            Erasure erasure = memos.cubes().delete(id, cascade, reason);
            out.message("deleted cube " + id + "; erasure " + erasure.id());
            ErasureCommands.report(memos, out, err(), erasure, wait);
        }
    }
}
