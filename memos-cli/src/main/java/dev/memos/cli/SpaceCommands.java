package dev.memos.cli;

import dev.memos.client.MemosClient;
import dev.memos.client.model.Erasure;
import dev.memos.client.model.Page;
import dev.memos.client.model.Spaces;
import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "spaces", description = "List, create, delete memory spaces and grant access to them.",
        subcommands = {SpaceCommands.Ls.class, SpaceCommands.Create.class, SpaceCommands.Rm.class,
                SpaceCommands.Grant.class})
final class SpaceCommands {

    @Command(name = "ls", description = "List the spaces you hold a grant on.",
            footer = {"%nExample:", "  ./memos spaces ls -o json", ExitCodes.HELP})
    static final class Ls extends ApiCommand {
        @Override
        void run(MemosClient memos, Printer out) {
            out.rows(new Page<>(memos.spaces().list(), null), "items", "name", "role", "createdAt", "description");
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
        void run(MemosClient memos, Printer out) {
            out.object(memos.spaces().create(name, description), "name", "role", "createdAt", "description");
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
        void run(MemosClient memos, Printer out) {
            Erasure erasure = memos.spaces().delete(name, force, null);
            out.message("deleted space " + name + "; erasure " + erasure.id());
            ErasureCommands.report(memos, out, err(), erasure, wait);
        }
    }

    @Command(name = "grant", description = "Grant a principal read, write or admin on a space; --revoke removes it.",
            footer = {"%nA READ or WRITE grant reads no cube labelled sensitive until cleared for its labels"
                    + " (--clearance); an ADMIN grant is cleared for all (*) unless told otherwise. A grant bound to"
                    + " purposes (--purpose) reads only cubes whose every version has one of them. Owners always read"
                    + " their own cubes.",
                    "%nExamples:", "  ./memos spaces grant team-notes 5f0c…-principal-id write",
                    "  ./memos spaces grant team-notes 5f0c…-principal-id read --clearance pii --purpose support",
                    "  ./memos spaces grant team-notes 5f0c…-principal-id --revoke", ExitCodes.HELP})
    static final class Grant extends ApiCommand {
        @Parameters(index = "0", description = "Space name.")
        String space;

        @Parameters(index = "1", description = "Principal id.")
        String principal;

        @Parameters(index = "2", arity = "0..1", description = "read, write or admin.")
        String role;

        @Option(names = "--clearance", paramLabel = "LABEL", description = "A sensitivity label the grant may read"
                + " (repeatable; * for all; pii clears pii.email). Default: * for admin, none for read and write.")
        List<String> clearances;

        @Option(names = "--purpose", paramLabel = "PURPOSE", description = "A purpose the grant is bound to (repeatable)."
                + " Default: not bound.")
        List<String> purposes;

        @Option(names = "--revoke", description = "Remove the principal's grant instead.")
        boolean revoke;

        @Override
        void run(MemosClient memos, Printer out) {
            if (revoke) {
                memos.spaces().revoke(space, principal);
                out.message("revoked " + principal + " on " + space);
                return;
            }
            if (role == null) {
                throw new CliException(ExitCodes.USAGE, "give a role (read, write or admin) or --revoke");
            }
            Spaces.GrantRequest grant = new Spaces.GrantRequest(role, Args.set(clearances), Args.set(purposes));
            out.object(memos.spaces().grant(space, principal, grant), "space", "principal", "role", "clearances", "purposes", "grantedAt");
        }
    }
}
