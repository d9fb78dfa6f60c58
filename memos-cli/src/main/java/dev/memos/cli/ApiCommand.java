package dev.memos.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** A command that talks to the service: connection options, output format, one {@link #run} body. */
abstract class ApiCommand implements Callable<Integer> {
    @Mixin
    Connection connection;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() {
        run(connection.api(), new Printer(spec.commandLine().getOut(), connection.output()));
        return ExitCodes.OK;
    }

    abstract void run(HttpApi api, Printer out);

    /** Where progress and warnings go (never mixed into the output a script parses). */
    java.io.PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
