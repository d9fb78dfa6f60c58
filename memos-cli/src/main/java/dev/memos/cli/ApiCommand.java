package dev.memos.cli;

import dev.memos.client.MemosClient;
import dev.memos.client.MemosException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * A command that talks to the service through the typed client: connection options, output format, one
 * {@link #run} body. The client's errors become exit codes and one line on stderr.
 */
abstract class ApiCommand implements Callable<Integer> {
    @Mixin
    Connection connection;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() {
        MemosClient memos = connection.client(needsKey());
        try {
            run(memos, new Printer(spec.commandLine().getOut(), connection.output()));
        } catch (MemosException.Api e) {
            throw new CliException(ExitCodes.forStatus(e.status()), describe(e));
        } catch (MemosException.Unreachable e) {
            throw new CliException(ExitCodes.UNREACHABLE, e.getMessage() + " (start it with ./memos serve)");
        }
        return ExitCodes.OK;
    }

    /** How the CLI names a refusal of the service: its status and the problem's detail. */
    static String describe(MemosException.Api e) {
        return "HTTP " + e.status() + ": " + e.problem().detail();
    }

    /** Whether the command needs an API key (the health check does not). */
    boolean needsKey() {
        return true;
    }

    abstract void run(MemosClient memos, Printer out);

    /** Where progress and warnings go (never mixed into the output a script parses). */
    java.io.PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
