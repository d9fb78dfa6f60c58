package dev.memos.cli;

import dev.memos.client.MemosClient;
import dev.memos.client.model.Admin;
import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

@Command(name = "audit", description = "The audit trail: keys, grants, erasures, exports, imports, administration"
        + " and reads of sensitive cubes, in a hash chain.",
        subcommands = {AuditCommands.Ls.class, AuditCommands.Verify.class})
final class AuditCommands {
    private AuditCommands() {
    }

    @Command(name = "ls", description = "Audit entries, oldest first (administrators; --space for a space's"
            + " administrators).", footer = {"%nExamples:", "  ./memos audit ls --space notes",
            "  ./memos audit ls --after 1200 -o json", ExitCodes.HELP})
    static final class Ls extends ApiCommand {
        @Option(names = "--space", description = "Only this space's entries.")
        String space;

        @Option(names = "--after", description = "Entries after this sequence number (the last one printed).")
        Long after;

        @Option(names = "--limit", description = "At most this many (1 … 1000, default ${DEFAULT-VALUE}).",
                defaultValue = "100")
        int limit;

        @Override
        void run(MemosClient memos, Printer out) {
            out.rows(memos.privacy().audit(space, after == null ? null : after.toString(), limit), "items", "seq", "at", "actor", "action", "space", "target", "detail");
        }
    }

    @Command(name = "verify", description = "Check the audit trail's hash chain (administrators); exit 1 when it"
            + " was tampered with.", footer = {"%nExample:", "  ./memos audit verify", ExitCodes.HELP})
    static final class Verify extends ApiCommand {
        @Override
        void run(MemosClient memos, Printer out) {
            Admin.AuditVerification result = memos.privacy().verifyAudit();
            out.object(result, "intact", "checked", "problem", "head/firstSeq", "head/anchor", "head/lastSeq",
                    "head/lastHash");
            if (!result.intact()) {
                throw new CliException(ExitCodes.FAILED, "the audit trail is broken: " + result.problem());
            }
            out.message("keep head.lastHash elsewhere: a later verify that ends in another hash at that entry shows"
                    + " a rewrite of the whole trail");
        }
    }
}
