package dev.memos.cli;

/** What the CLI's exit codes mean; listed in every command's --help. */
final class ExitCodes {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int DENIED = 3;
    static final int NOT_FOUND = 4;
    static final int CONFLICT = 5;
    static final int UNREACHABLE = 6;

    static final String HELP = "%nExit codes: 0 ok, 1 failed, 2 usage or invalid input, 3 unauthenticated or forbidden,"
            + " 4 not found, 5 conflict or stale version, 6 service unreachable or unavailable.";

    private ExitCodes() {
    }

    static int forStatus(int status) {
        return switch (status) {
            case 400, 413, 415, 428 -> USAGE;
            case 401, 403 -> DENIED;
            case 404 -> NOT_FOUND;
            case 409, 412 -> CONFLICT;
            case 502, 503, 504 -> UNREACHABLE;
            default -> FAILED;
        };
    }
}
