package dev.memos.kernel.erasure;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Byte strings taken from the erased texts, kept in memory only (never written anywhere) until the eraser has
 * scanned the data files for them. After a restart they are gone, and the report says the files were not
 * scanned for that erasure.
 *
 * <p>From each text: the whole text when it is short, else windows of {@value #WINDOW} bytes at its start,
 * middle and end, so that a page or block holding any part of a longer text is likely found. Texts shorter
 * than {@value #MIN} bytes would match unrelated data and are not probed.
 */
public final class ErasureProbes {
    static final int WINDOW = 32;
    static final int MIN = 12;
    /** Probes kept per erasure; a space with more texts is sampled. */
    public static final int MAX_PER_ERASURE = 4_096;

    private final Map<UUID, List<byte[]>> byErasure = new ConcurrentHashMap<>();

    /** Windows of the texts, at most {@link #MAX_PER_ERASURE}. */
    public static List<byte[]> of(Collection<String> texts) {
        Set<String> windows = new LinkedHashSet<>();
        for (String text : texts) {
            if (windows.size() >= MAX_PER_ERASURE) {
                break;
            }
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            if (bytes.length < MIN) {
                continue;
            }
            if (bytes.length <= WINDOW) {
                windows.add(text);
                continue;
            }
            for (int start : new int[]{0, (bytes.length - WINDOW) / 2, bytes.length - WINDOW}) {
                windows.add(safe(bytes, start));
            }
        }
        List<byte[]> probes = new ArrayList<>(windows.size());
        windows.stream().limit(MAX_PER_ERASURE).forEach(w -> probes.add(w.getBytes(StandardCharsets.UTF_8)));
        return probes;
    }

    /** A window moved to whole characters, so that its bytes appear as such wherever the text is stored in UTF-8. */
    private static String safe(byte[] bytes, int start) {
        int from = start;
        while (from > 0 && (bytes[from] & 0xC0) == 0x80) {
            from--;
        }
        int to = Math.min(bytes.length, from + WINDOW);
        while (to < bytes.length && (bytes[to] & 0xC0) == 0x80) {
            to++;
        }
        return new String(bytes, from, to - from, StandardCharsets.UTF_8);
    }

    public void remember(UUID erasure, List<byte[]> probes) {
        byErasure.put(erasure, List.copyOf(probes));
    }

    /** The probes of an erasure; null when none were kept (a restart since, or nothing long enough to probe). */
    public List<byte[]> of(UUID erasure) {
        return byErasure.get(erasure);
    }

    public void forget(UUID erasure) {
        byErasure.remove(erasure);
    }
}
