package dev.memos.cli;

import dev.memos.client.MemosClient;
import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

/** Is the service up, and who am I to it. */
final class StatusCommands {
    private StatusCommands() {
    }

    @Command(name = "status", description = "Show whether the service is up and ready.",
            footer = {"%nExample:", "  ./memos status --url http://127.0.0.1:8080", ExitCodes.HELP})
    static final class Status extends ApiCommand {
        @Override
        boolean needsKey() {
            return false;
        }

        @Override
        void run(MemosClient memos, Printer out) {
            MemosClient.Health health = memos.health();
            out.object(health, "status");
            out.rows(health, "checks", "name", "status");
            if (!"UP".equals(health.status())) {
                throw new CliException(ExitCodes.UNREACHABLE, "memos is not ready");
            }
        }
    }

    @Command(name = "whoami", description = "Show the principal your API key belongs to.",
            footer = {"%nExample:", "  MEMOS_API_KEY=memos_… ./memos whoami", ExitCodes.HELP})
    static final class WhoAmI extends ApiCommand {
        @Override
        void run(MemosClient memos, Printer out) {
            out.object(memos.whoami(), "id", "name", "kind", "admin", "createdAt");
        }
    }
}
