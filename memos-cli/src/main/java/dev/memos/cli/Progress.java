package dev.memos.cli;

import java.io.PrintWriter;

/**
 * Progress of long work on stderr: a redrawn bar on a terminal, a line at every tenth (at most every few
 * seconds when the total is unknown) otherwise, so logs stay readable.
 */
final class Progress {
    private static final int WIDTH = 30;
    private final PrintWriter err;
    private final String unit;
    private final long total;
    private final boolean terminal = System.console() != null;
    private final long started = System.nanoTime();
    private long lastDraw;
    private long lastStep = -1;

    /** @param total the amount of work, or -1 when unknown */
    Progress(PrintWriter err, String unit, long total) {
        this.err = err;
        this.unit = unit;
        this.total = total;
    }

    void update(long done) {
        long now = System.nanoTime();
        if (terminal) {
            if (now - lastDraw > 100_000_000L) {
                err.print("\r" + line(done));
                err.flush();
                lastDraw = now;
            }
            return;
        }
        long step = total > 0 ? done * 10 / total : (now - started) / 5_000_000_000L;
        if (step != lastStep && (total <= 0 || done < total)) { // the last line is finish()'s
            err.println(line(done));
            err.flush();
            lastStep = step;
        }
    }

    void finish(long done) {
        err.print(terminal ? "\r" + line(done) + "\n" : line(done) + "\n");
        err.flush();
    }

    private String line(long done) {
        double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
        String rate = String.format("%.0f %s/s", done / seconds, unit);
        if (total <= 0) {
            return String.format("%,d %s  %s", done, unit, rate);
        }
        int filled = (int) Math.min(WIDTH, done * WIDTH / total);
        return String.format("[%s%s] %,d/%,d %s  %s", "#".repeat(filled), " ".repeat(WIDTH - filled), done, total, unit, rate);
    }
}
