package dev.memos.cubes.engine.llama;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns generated token pieces (bytes, which may split a UTF-8 character) into text for a listener, holding back
 * what could still become a stop string, and cutting the text where a stop string appears.
 */
final class TextStream {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final List<String> stops;
    private final Consumer<String> sink;
    private String text = "";
    private int emitted;
    private boolean stopped;

    TextStream(List<String> stops, Consumer<String> sink) {
        this.stops = stops;
        this.sink = sink;
    }

    /** Adds a piece; true when a stop string has appeared (the text then ends before it). */
    boolean add(byte[] piece) {
        if (stopped) {
            return true;
        }
        bytes.write(piece, 0, piece.length);
        byte[] all = bytes.toByteArray();
        text = new String(all, 0, completeLength(all), StandardCharsets.UTF_8);
        for (String stop : stops) {
            int at = text.indexOf(stop, Math.max(0, emitted - stop.length()));
            if (at >= 0) {
                text = text.substring(0, at);
                stopped = true;
            }
        }
        int safe = stopped ? text.length() : text.length() - heldBack();
        if (safe > emitted) {
            sink.accept(text.substring(emitted, safe));
            emitted = safe;
        }
        return stopped;
    }

    /** Hands over what was held back; the generation is over. */
    String finish() {
        if (!stopped && text.length() > emitted) {
            sink.accept(text.substring(emitted));
            emitted = text.length();
        }
        return text;
    }

    /** The length of the longest end of the text that is the start of a stop string. */
    private int heldBack() {
        int held = 0;
        for (String stop : stops) {
            for (int n = Math.min(stop.length() - 1, text.length()); n > held; n--) {
                if (text.endsWith(stop.substring(0, n))) {
                    held = n;
                    break;
                }
            }
        }
        return held;
    }

    /** Bytes up to the last complete UTF-8 character. */
    static int completeLength(byte[] b) {
        int n = b.length;
        for (int back = 1; back <= Math.min(3, n); back++) {
            int c = b[n - back] & 0xff;
            if ((c & 0xc0) == 0x80) {
                continue; // a continuation byte: look further back for its lead
            }
            int needed = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
            return needed > back ? n - back : n;
        }
        return n;
    }
}
