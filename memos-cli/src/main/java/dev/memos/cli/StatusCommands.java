package dev.memos.cli;

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
        void run(HttpApi api, Printer out) {
            JsonNode health = api.get("/q/health");
            out.object(health, "status");
            out.rows(health, health.path("checks"), "name", "status");
            if (!"UP".equals(health.path("status").asText())) {
                throw new CliException(ExitCodes.UNREACHABLE, "memos is not ready");
            }
        }
    }

    @Command(name = "whoami", description = "Show the principal your API key belongs to.",
            footer = {"%nExample:", "  MEMOS_API_KEY=memos_… ./memos whoami", ExitCodes.HELP})
    static final class WhoAmI extends ApiCommand {
        @Override
        void run(HttpApi api, Printer out) {
            out.object(api.get("/v1/principals/me"), "id", "name", "kind", "admin", "createdAt");
        }
    }
}
