package dev.memos.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the memos command-line tool. */
@Command(name = "memos", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
        version = "memos 0.1.0",
        description = "Operate a memos service from the terminal (over its HTTP API).",
        subcommands = {StatusCommands.Status.class, StatusCommands.WhoAmI.class, PrincipalCommands.class,
                SpaceCommands.class, CubeCommands.class, SubjectCommands.class, SearchCommand.class, LineageCommand.class, MigrateCommand.class,
                ArchiveCommands.Export.class, ArchiveCommands.Import.class, IngestCommand.class, AdminCommands.class,
                TierCommands.Chat.class, TierCommands.Distill.class, TierCommands.Adapters.class, ErasureCommands.class, AuditCommands.class,
                CommandLine.HelpCommand.class},
        footer = {"%nExamples:", "  ./memos status", "  ./memos spaces create notes",
                "  ./memos cubes write notes \"Alice prefers green tea\" --tag drinks",
                "  ./memos cubes ls notes --tag drinks", "  ./memos search \"what does Alice drink?\"",
                "  ./memos ingest notes chat.jsonl", "  ./memos lineage 01a2…-cube-id",
                "  ./memos export notes notes.memos.zip", ExitCodes.HELP})
public final class MemosCli {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new MemosCli());
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            if (e instanceof CliException failure) {
                commandLine.getErr().println("memos: " + failure.getMessage());
                return failure.exitCode();
            }
            throw e;
        });
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        return cli;
    }
}
