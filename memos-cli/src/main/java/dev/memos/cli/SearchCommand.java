package dev.memos.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "search", description = "Find the memories that answer a query (one space, or all you may read).",
        footer = {"%nExamples:", "  ./memos search \"what does Alice drink?\" --space notes",
                "  ./memos search \"peanut allergy\" --mode keyword --tag health -k 5 --explain", ExitCodes.HELP})
final class SearchCommand extends ApiCommand {
    @Parameters(index = "0", description = "The query, in plain words.")
    String query;
    @Option(names = "--space", description = "Search this space only (default: every space you may read).")
    String space;
    @Option(names = "-k", description = "How many hits, 1-100 (default 10).")
    Integer k;
    @Option(names = "--mode", description = "hybrid (default), keyword or vector.")
    String mode;
    @Option(names = "--kind", description = "Only these kinds; repeat for more.")
    List<String> kinds;
    @Option(names = "--tag", description = "Only cubes with all these tags; repeat for more.")
    List<String> tags;
    @Option(names = "--valid-at", description = "Facts holding at this ISO-8601 instant (default now).")
    String validAt;
    @Option(names = "--as-of", description = "Search what memos held as current at this ISO-8601 instant (recorded"
            + " time; --valid-at defaults to it). Reads every version current then: slower than a live search.")
    String asOf;
    @Option(names = "--explain", description = "Show the component scores.")
    boolean explain;
    @Option(names = "--wait", description = "Wait until your own recent writes are searchable.")
    boolean waitForWrites;

    @Override
    void run(HttpApi api, Printer out) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        if (k != null) {
            body.put("k", k);
        }
        if (mode != null) {
            body.put("mode", mode);
        }
        body.put("explain", explain);
        if (waitForWrites) {
            body.put("consistency", "read-your-writes");
        }
        if (asOf != null) {
            body.put("asOf", asOf);
        }
        Map<String, Object> filters = new LinkedHashMap<>();
        if (kinds != null) {
            filters.put("kinds", kinds);
        }
        if (tags != null) {
            filters.put("tags", tags);
        }
        if (validAt != null) {
            filters.put("validAt", validAt);
        }
        if (!filters.isEmpty()) {
            body.put("filters", filters);
        }
        String path = space == null ? "/v1/search" : "/v1/spaces/" + HttpApi.segment(space) + "/search";
        JsonNode result = api.post(path, body);
        if (explain) {
            out.rows(result, result.path("hits"), "score", "cube/id", "cube/space", "explanation/keywordRank",
                    "explanation/vectorRank", "explanation/fused", "cube/text");
        } else {
            out.rows(result, result.path("hits"), "score", "cube/id", "cube/space", "cube/text");
        }
    }
}
