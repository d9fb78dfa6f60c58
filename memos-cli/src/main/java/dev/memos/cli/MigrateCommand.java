package dev.memos.cli;

import dev.memos.client.CubesClient;
import dev.memos.client.MemosClient;
import dev.memos.client.MemosException;
import dev.memos.client.model.Cube;
import dev.memos.client.model.Page;
import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Moves many cubes of a space at once: to another lifecycle state, or their knowledge to another tier. */
@Command(name = "migrate", description = "Move the cubes of a space that match filters to another lifecycle state "
        + "(e.g. archive a topic, re-activate archived cubes), or compile plaintext cubes into activation memory (the "
        + "KV state of their text for the service's model; needs memos.engine.model on the service), with progress "
        + "and a summary. Parameter memory is trained, not converted: the service answers how to get it.",
        footer = {"%nExamples:", "  ./memos migrate notes --to archived --from activated --tag 2024 --dry-run",
                "  ./memos migrate notes --to activated --from archived --kind preference --reason \"back in use\"",
                "  ./memos migrate notes --to activation --tag profile            (one activation cube per cube)",
                "  ./memos migrate notes --to activation --tag profile --together (one for all of them)",
                ExitCodes.HELP})
final class MigrateCommand extends ApiCommand {
    private static final Set<String> TIERS = Set.of("plaintext", "activation", "parameter");

    @Parameters(index = "0", description = "Space name.")
    String space;
    @Option(names = "--to", required = true, description = "Target state: activated, archived, frozen, merged, deleted.")
    String to;
    @Option(names = "--from", description = "Only cubes in this state (default: every state but DELETED).")
    String from;
    @Option(names = "--kind", description = "Only this kind.")
    String kind;
    @Option(names = "--tag", description = "Only cubes with this tag.")
    String tag;
    @Option(names = "--limit", description = "Move at most this many cubes.")
    Integer limit;
    @Option(names = "--reason", description = "Why; kept with every move in the event log.")
    String reason;
    @Option(names = "--dry-run", description = "List what would move, move nothing.")
    boolean dryRun;
    @Option(names = "--together", description = "With --to activation: compile every chosen cube into one activation "
            + "cube (their memory block restored as one prefix) instead of one each.")
    boolean together;

    @Override
    void run(MemosClient memos, Printer out) {
        String target = to.strip().toLowerCase(Locale.ROOT);
        boolean tier = TIERS.contains(target);
        if (together && !target.equals("activation")) {
            throw new CliException(ExitCodes.USAGE, "--together compiles cubes into one activation cube: use it with "
                    + "--to activation");
        }
        List<Cube> chosen = select(memos, target.toUpperCase(Locale.ROOT), tier);
        if (dryRun) {
            out.rows(new Page<>(chosen, null), "items", "id", "version", "state", "kind", "text");
            out.message(chosen.size() + " cubes would move to " + target.toUpperCase(Locale.ROOT));
            return;
        }
        if (tier) {
            migrateTier(memos, out, target, chosen);
            return;
        }
        Progress progress = new Progress(err(), "cubes", chosen.size());
        int moved = 0;
        List<String> refused = new ArrayList<>();
        for (Cube cube : chosen) {
            try {
                memos.cubes().transition(cube.id(), target, reason);
                moved++;
            } catch (MemosException.Api e) {
                refused.add(cube.id() + ": " + describe(e));
            }
            progress.update(moved + refused.size());
        }
        progress.finish(moved + refused.size());
        refused.stream().limit(20).forEach(r -> err().println("  not moved " + r));
        err().flush();
        Map<String, Object> summary = Map.of("space", space, "to", target.toUpperCase(Locale.ROOT), "moved", moved,
                "refused", refused.size());
        out.object(summary, "space", "to", "moved", "refused");
        if (!refused.isEmpty()) {
            throw new CliException(ExitCodes.FAILED, refused.size() + " of " + chosen.size()
                    + " cubes were not moved (listed above)");
        }
    }

    /** Each chosen plaintext cube through POST /v1/cubes/{id}/migrate, or all at once into one activation cube. */
    private void migrateTier(MemosClient memos, Printer out, String target, List<Cube> chosen) {
        if (chosen.isEmpty()) {
            out.message("no plaintext cube matches");
            return;
        }
        if (together) {
            out.object(memos.tiers().compile(space, chosen.stream().map(Cube::id).toList(), null),
                    "id", "tier", "state", "blob");
            return;
        }
        Progress progress = new Progress(err(), "cubes", chosen.size());
        int made = 0;
        List<String> refused = new ArrayList<>();
        for (Cube cube : chosen) {
            try {
                memos.tiers().migrate(cube.id(), target.toUpperCase(Locale.ROOT));
                made++;
            } catch (MemosException.Api e) {
                if (refused.isEmpty() && made == 0 && chosen.size() > 1 && describe(e).contains("memos.engine.model")) {
                    throw e; // no engine: every other cube would be refused the same way
                }
                refused.add(cube.id() + ": " + describe(e));
            }
            progress.update(made + refused.size());
        }
        progress.finish(made + refused.size());
        refused.stream().limit(20).forEach(r -> err().println("  not migrated " + r));
        err().flush();
        out.object(Map.of("space", space, "to", target.toUpperCase(Locale.ROOT), "migrated", made,
                "refused", refused.size()), "space", "to", "migrated", "refused");
        if (!refused.isEmpty()) {
            throw new CliException(ExitCodes.FAILED, refused.size() + " of " + chosen.size()
                    + " cubes were not migrated (listed above)");
        }
    }

    private List<Cube> select(MemosClient memos, String target, boolean tier) {
        return memos.cubes().listAll(space, new CubesClient.CubeQuery(from, kind, tag, null, null, 200))
                .filter(cube -> tier ? "PLAINTEXT".equals(cube.tier()) : !target.equals(cube.state()))
                .limit(limit == null ? Long.MAX_VALUE : limit)
                .toList();
    }
}
