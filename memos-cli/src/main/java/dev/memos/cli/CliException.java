package dev.memos.cli;

/** A failure to report to the user with a message and an exit code (see {@link ExitCodes}). */
final class CliException extends RuntimeException {
    private final int exitCode;

    CliException(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
