package dev.memos.cli;

import dev.memos.client.MemosClient;
import dev.memos.client.model.Erasure;
import dev.memos.client.model.Page;
import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.Map;

@Command(name = "erasures", description = "Erasure requests and their reports: what deleting a cube or a space"
        + " removed, place by place, and how it was checked.",
        subcommands = {ErasureCommands.Show.class, ErasureCommands.Ls.class})
final class ErasureCommands {
    private ErasureCommands() {
    }

    /** Waits (with --wait) until the erasure is no longer PENDING, then prints it; exit 1 when it FAILED. */
    static void report(MemosClient memos, Printer out, PrintWriter err, Erasure erasure, boolean wait) {
        String id = erasure.id();
        Erasure current = erasure;
        if (wait) {
            long started = System.nanoTime();
            while (!current.done()) {
                err.printf("\rerasure %s: checking every place … %d s", id, (System.nanoTime() - started) / 1_000_000_000);
                err.flush();
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CliException(ExitCodes.FAILED, "interrupted while waiting for erasure " + id);
                }
                current = memos.privacy().erasure(id);
            }
            err.println();
        }
        if (out.isJson()) {
            out.json(current);
        } else {
            out.object(current, "id", "scope", "target", "status", "requestedAt", "dueAt", "completedAt", "cubeCount",
                    "cubes", "derivedKept", "derivedHidden");
            out.rows(current, "checks", "place", "passed", "check");
            if (!wait && !current.done()) {
                out.message("the report is complete by " + current.dueAt() + ": ./memos erasures show " + id + " --wait");
            }
        }
        if ("FAILED".equals(current.status())) {
            throw new CliException(ExitCodes.FAILED, "erasure " + id + " FAILED a check by its deadline; see the report");
        }
    }

    @Command(name = "show", description = "An erasure and its report.",
            footer = {"%nExample:", "  ./memos erasures show 3f2b…-erasure-id --wait", ExitCodes.HELP})
    static final class Show extends ApiCommand {
        @Parameters(index = "0", description = "Erasure id (printed by cubes rm and spaces rm).")
        String id;

        @Option(names = "--wait", description = "Wait until every place was checked (the deadline is 60 s by default).")
        boolean wait;

        @Override
        void run(MemosClient memos, Printer out) {
            report(memos, out, err(), memos.privacy().erasure(id), wait);
        }
    }

    @Command(name = "ls", description = "The newest erasures of a space (its administrators) or of every space"
            + " (administrators).", footer = {"%nExample:", "  ./memos erasures ls --space notes", ExitCodes.HELP})
    static final class Ls extends ApiCommand {
        @Option(names = "--space", description = "Only this space.")
        String space;

        @Option(names = "--limit", description = "At most this many (1 … 500, default ${DEFAULT-VALUE}).", defaultValue = "50")
        int limit;

        @Override
        void run(MemosClient memos, Printer out) {
            out.rows(new Page<>(memos.privacy().erasures(space, limit), null), "items", "id", "scope", "target", "status", "requestedAt", "cubeCount");
        }
    }
}
