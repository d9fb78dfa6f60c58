package dev.memos.cli;

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

/** Moves many cubes of a space at once: lifecycle moves now, tier migrations once a tier engine exists. */
@Command(name = "migrate", description = "Move the cubes of a space that match filters to another lifecycle state "
        + "(e.g. archive a topic, re-activate archived cubes), with progress and a summary. Tier migrations "
        + "(to activation or parameter memory) need a tier engine, which this memos does not have yet.",
        footer = {"%nExamples:", "  ./memos migrate notes --to archived --from activated --tag 2024 --dry-run",
                "  ./memos migrate notes --to activated --from archived --kind preference --reason \"back in use\"",
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

    @Override
    void run(HttpApi api, Printer out) {
        String target = to.strip().toLowerCase(Locale.ROOT);
        if (TIERS.contains(target)) {
            throw new CliException(ExitCodes.USAGE, "moving cubes to the " + target + " tier needs a tier engine (an "
                    + "inference server for activation memory, a LoRA trainer for parameter memory); this memos has none "
                    + "yet. Lifecycle moves work: --to archived, activated, frozen …");
        }
        List<JsonNode> chosen = select(api, target.toUpperCase(Locale.ROOT));
        if (dryRun) {
            out.rows(HttpApi.JSON.valueToTree(Map.of("items", chosen)), HttpApi.JSON.valueToTree(chosen), "id", "version",
                    "state", "kind", "text");
            out.message(chosen.size() + " cubes would move to " + target.toUpperCase(Locale.ROOT));
            return;
        }
        Progress progress = new Progress(err(), "cubes", chosen.size());
        int moved = 0;
        List<String> refused = new ArrayList<>();
        for (JsonNode cube : chosen) {
            String id = cube.path("id").asText();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("to", target);
            if (reason != null) {
                body.put("reason", reason);
            }
            try {
                api.post("/v1/cubes/" + HttpApi.segment(id) + "/transitions", body);
                moved++;
            } catch (CliException e) {
                if (e.exitCode() == ExitCodes.UNREACHABLE) {
                    throw e;
                }
                refused.add(id + ": " + e.getMessage());
            }
            progress.update(moved + refused.size());
        }
        progress.finish(moved + refused.size());
        refused.stream().limit(20).forEach(r -> err().println("  not moved " + r));
        err().flush();
        Map<String, Object> summary = Map.of("space", space, "to", target.toUpperCase(Locale.ROOT), "moved", moved,
                "refused", refused.size());
        out.object(HttpApi.JSON.valueToTree(summary), "space", "to", "moved", "refused");
        if (!refused.isEmpty()) {
            throw new CliException(ExitCodes.FAILED, refused.size() + " of " + chosen.size()
                    + " cubes were not moved (listed above)");
        }
    }

    private List<JsonNode> select(HttpApi api, String target) {
        List<JsonNode> chosen = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("state", from);
            q.put("kind", kind);
            q.put("tag", tag);
            q.put("limit", "200");
            q.put("cursor", cursor);
            JsonNode page = api.get("/v1/spaces/" + HttpApi.segment(space) + "/cubes" + HttpApi.query(q));
            for (JsonNode cube : page.path("items")) {
                if (!cube.path("state").asText().equals(target) && (limit == null || chosen.size() < limit)) {
                    chosen.add(cube);
                }
            }
            cursor = page.path("nextCursor").asText(null);
        } while (cursor != null && (limit == null || chosen.size() < limit));
        return chosen;
    }
}
