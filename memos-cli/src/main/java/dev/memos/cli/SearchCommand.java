package dev.memos.cli;

import dev.memos.client.MemosClient;
import dev.memos.client.model.Search;
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
    void run(MemosClient memos, Printer out) {
        Search.Filters filters = kinds == null && tags == null && validAt == null ? null : Search.Filters.none()
                .kinds(Args.set(kinds)).tags(Args.set(tags)).validAt(Args.instant("--valid-at", validAt));
        Search.Request request = new Search.Request(query, k, mode, filters, explain,
                waitForWrites ? "read-your-writes" : null, Args.instant("--as-of", asOf), null, null, null);
        Search.Result result = space == null ? memos.search(request) : memos.search(space, request);
        if (explain) {
            out.rows(result, "hits", "score", "cube/id", "cube/space", "explanation/keywordRank",
                    "explanation/vectorRank", "explanation/fused", "cube/text");
        } else {
            out.rows(result, "hits", "score", "cube/id", "cube/space", "cube/text");
        }
    }
}
