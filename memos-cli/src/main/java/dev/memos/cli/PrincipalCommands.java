package dev.memos.cli;

import dev.memos.client.MemosClient;
import dev.memos.client.model.Spaces;
import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.Map;

@Command(name = "principals", description = "Manage users and agents and their keys.",
        subcommands = {PrincipalCommands.Create.class, PrincipalCommands.ReplaceKey.class})
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
        void run(MemosClient memos, Printer out) {
            out.object(memos.createPrincipal(new Spaces.NewPrincipal(name, kind, admin)),
                    "id", "name", "kind", "admin", "apiKey");
        }
    }

    @Command(name = "replace-key", description = "Replace a principal's API key and print the new one (shown only this "
            + "once); the old key stops working on every node at once. Administrators may replace any key, a principal "
            + "its own ('me').",
            footer = {"%nExample:", "  ./memos principals replace-key me", ExitCodes.HELP})
    static final class ReplaceKey extends ApiCommand {
        @Parameters(index = "0", description = "The principal's id, or 'me'.")
        String id;

        @Override
        void run(MemosClient memos, Printer out) {
            out.object(memos.replaceKey(id), "id", "name", "kind", "admin", "apiKey");
        }
    }
}
