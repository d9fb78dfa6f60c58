package dev.memos.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/** Runs the CLI in-process as a user would from a terminal, against a service URL. */
final class Cli {
    private Cli() {
    }

    record Run(int exit, String out, String err) {
        JsonNode json() throws Exception {
            return dev.memos.client.MemosClient.json().readTree(out);
        }
    }

    static Run memos(String url, String key, String... args) {
        CommandLine cli = MemosCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        List<String> all = new ArrayList<>(List.of(args));
        if (args.length > 0 && !args[0].equals("--help")) {
            all.addAll(List.of("--url", url));
            if (key != null) {
                all.addAll(List.of("--api-key", key));
            }
        }
        int exit = cli.execute(all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }
}
