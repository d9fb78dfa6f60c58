package dev.memos.cli;

import dev.memos.client.MemosClient;
import dev.memos.client.model.Admin;
import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

@Command(name = "admin", description = "Operate the service (administrators only).",
        subcommands = {AdminCommands.Reindex.class, AdminCommands.IndexCheck.class, AdminCommands.OptimizeIndex.class,
                AdminCommands.Relineage.class})
final class AdminCommands {

    @Command(name = "reindex", description = "Rebuild the search index from the database (progress goes to the service log).",
            footer = {"%nExample:", "  MEMOS_API_KEY=$(cat data/admin.key) ./memos admin reindex", ExitCodes.HELP})
    static final class Reindex extends ApiCommand {
        @Override
        void run(MemosClient memos, Printer out) {
            out.message("rebuilding the search index …");
            out.object(memos.admin().rebuildIndex(), "indexed", "tookMs");
        }
    }

    @Command(name = "index-check", description = "Compare the search index with the database; exit 5 when they differ.",
            footer = {"%nExample:", "  ./memos admin index-check -o json", ExitCodes.HELP})
    static final class IndexCheck extends ApiCommand {
        @Override
        void run(MemosClient memos, Printer out) {
            Admin.IndexCheck report = memos.admin().checkIndex();
            out.object(report, "cubes", "indexed", "missing", "stale", "orphaned");
            if (!report.consistent()) {
                throw new CliException(ExitCodes.CONFLICT, "the index differs from the database; run ./memos admin reindex");
            }
        }
    }

    @Command(name = "relineage", description = "Rebuild the lineage graph from the database: empty it and replay every "
            + "committed event (progress goes to the service log).",
            footer = {"%nExample:", "  ./memos admin relineage", ExitCodes.HELP})
    static final class Relineage extends ApiCommand {
        @Override
        void run(MemosClient memos, Printer out) {
            out.message("rebuilding the lineage graph …");
            out.object(memos.admin().rebuildLineage(), "events", "tookMs");
        }
    }

    @Command(name = "optimize-index", description = "Merge the search index into few segments (after a bulk load; "
            + "takes minutes at a million cubes; searches go on meanwhile).",
            footer = {"%nExample:", "  ./memos admin optimize-index --segments 1", ExitCodes.HELP})
    static final class OptimizeIndex extends ApiCommand {
        @picocli.CommandLine.Option(names = "--segments", description = "Segments to merge into, 1-64 (default 1).")
        Integer segments;

        @Override
        void run(MemosClient memos, Printer out) {
            out.message("merging the search index …");
            out.object(memos.admin().optimizeIndex(segments), "segmentsBefore", "segmentsAfter", "tookMs");
        }
    }
}
