package dev.memos.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.Map;

@Command(name = "spaces", description = "List, create, delete memory spaces and grant access to them.",
        subcommands = {SpaceCommands.Ls.class, SpaceCommands.Create.class, SpaceCommands.Rm.class,
                SpaceCommands.Grant.class})
final class SpaceCommands {

    @Command(name = "ls", description = "List the spaces you hold a grant on.",
            footer = {"%nExample:", "  ./memos spaces ls -o json", ExitCodes.HELP})
    static final class Ls extends ApiCommand {
        @Override
        void run(HttpApi api, Printer out) {
            JsonNode spaces = api.get("/v1/spaces");
            out.rows(spaces, spaces.path("items"), "name", "role", "createdAt", "description");
        }
    }

    @Command(name = "create", description = "Create a space; you become its administrator.",
            footer = {"%nExample:", "  ./memos spaces create team-notes --description \"shared notes\"", ExitCodes.HELP})
    static final class Create extends ApiCommand {
        @Parameters(index = "0", description = "Name: lower-case letters, digits and . _ -")
        String name;

        @Option(names = "--description", description = "What the space is for.")
        String description;

        @Override
        void run(HttpApi api, Printer out) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            if (description != null) {
                body.put("description", description);
            }
            out.object(api.post("/v1/spaces", body), "name", "role", "createdAt", "description");
        }
    }

    @Command(name = "rm", description = "Delete and erase a space with its grants and cubes (administrators of the space).",
            footer = {"%nExample:", "  ./memos spaces rm old-notes --force", ExitCodes.HELP})
    static final class Rm extends ApiCommand {
        @Parameters(index = "0", description = "Space name.")
        String name;

        @Option(names = "--force", description = "Delete even if it still holds cubes.")
        boolean force;

        @Option(names = "--wait", description = "Wait for the erasure report.")
        boolean wait;

        @Override
        void run(HttpApi api, Printer out) {
            JsonNode erasure = api.delete("/v1/spaces/" + HttpApi.segment(name)
                    + HttpApi.query(Map.of("force", String.valueOf(force))));
            out.message("deleted space " + name + "; erasure " + erasure.path("id").asText());
            ErasureCommands.report(api, out, err(), erasure, wait);
        }
    }

    @Command(name = "grant", description = "Grant a principal read, write or admin on a space; --revoke removes it.",
            footer = {"%nExamples:", "  ./memos spaces grant team-notes 5f0c…-principal-id write",
                    "  ./memos spaces grant team-notes 5f0c…-principal-id --revoke", ExitCodes.HELP})
    static final class Grant extends ApiCommand {
        @Parameters(index = "0", description = "Space name.")
        String space;

        @Parameters(index = "1", description = "Principal id.")
        String principal;

        @Parameters(index = "2", arity = "0..1", description = "read, write or admin.")
        String role;

        @Option(names = "--revoke", description = "Remove the principal's grant instead.")
        boolean revoke;

        @Override
        void run(HttpApi api, Printer out) {
            String path = "/v1/spaces/" + HttpApi.segment(space) + "/grants/" + HttpApi.segment(principal);
            if (revoke) {
                api.delete(path);
                out.message("revoked " + principal + " on " + space);
                return;
            }
            if (role == null) {
                throw new CliException(ExitCodes.USAGE, "give a role (read, write or admin) or --revoke");
            }
            out.object(api.put(path, Map.of("role", role)), "space", "principal", "role", "grantedAt");
        }
    }
}
