package dev.memos.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.Map;

@Command(name = "principals", description = "Manage users and agents (administrators only).",
        subcommands = PrincipalCommands.Create.class)
final class PrincipalCommands {

    @Command(name = "create", description = "Create a principal and print its API key (shown only this once).",
            footer = {"%nExample:", "  ./memos principals create planner --kind agent", ExitCodes.HELP})
    static final class Create extends ApiCommand {
        @Parameters(index = "0", description = "Display name.")
        String name;

        @Option(names = "--kind", description = "user, agent or service (default user).")
        String kind;

        @Option(names = "--admin", description = "Make it an administrator.")
        boolean admin;

        @Override
        void run(HttpApi api, Printer out) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            if (kind != null) {
                body.put("kind", kind);
            }
            body.put("admin", admin);
            JsonNode created = api.post("/v1/principals", body);
            out.object(created, "id", "name", "kind", "admin", "apiKey");
        }
    }
}
