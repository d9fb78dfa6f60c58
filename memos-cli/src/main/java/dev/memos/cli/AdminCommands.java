package dev.memos.cli;

import dev.memos.client.MemosClient;
import dev.memos.client.model.Admin;
import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

@Command(name = "admin", description = "Operate the service (administrators only).",
        subcommands = {AdminCommands.Reindex.class, AdminCommands.IndexCheck.class, AdminCommands.OptimizeIndex.class,
                AdminCommands.Relineage.class, AdminCommands.SetAside.class, AdminCommands.RetrySetAside.class})
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

    @Command(name = "set-aside", description = "List the cubes the search indexer of the answering node set aside because "
            + "the embedder refused their text (they are found by keywords only), with the reason; exit 5 when there are"
            + " any.",
            footer = {"%nExample:", "  ./memos admin set-aside --limit 20", ExitCodes.HELP})
    static final class SetAside extends ApiCommand {
        @picocli.CommandLine.Option(names = "--limit", description = "At most this many, 1-1000 (default 100).")
        Integer limit;

        @Override
        void run(MemosClient memos, Printer out) {
            Admin.SetAside aside = memos.admin().setAside(limit);
            out.rows(aside, "cubes", "id", "space", "attempts", "lastAt", "reason");
            if (aside.total() > 0) {
                throw new CliException(ExitCodes.CONFLICT, aside.total() + " cubes set aside; fix the cause, then run"
                        + " ./memos admin retry-set-aside");
            }
        }
    }

    @Command(name = "retry-set-aside", description = "Index the cubes set aside again (after the cause is fixed, e.g. "
            + "memos.embedding.openai.max-input-chars lowered); those refused again stay set aside. The figures are the"
            + " answering node's; every other node retries its own when the request reaches it through the bus.",
            footer = {"%nExample:", "  ./memos admin retry-set-aside", ExitCodes.HELP})
    static final class RetrySetAside extends ApiCommand {
        @Override
        void run(MemosClient memos, Printer out) {
            out.message("indexing the cubes set aside again …");
            out.object(memos.admin().retrySetAside(), "before", "stillSetAside", "tookMs");
        }
    }
}
