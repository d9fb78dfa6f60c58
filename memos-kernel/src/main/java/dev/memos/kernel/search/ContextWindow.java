package dev.memos.kernel.search;

import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.model.TextPayload;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Context windows of the messages of one session: a turn alone often lacks its subject ("Yes, every weekend!"),
 * its neighbours have it. A cube's window is the texts of the {@code before} cubes recorded before it in the same
 * session, its own, and the {@code after} cubes recorded after it, one per line. Its window vector is at first its
 * own vector plus half of each neighbour's, normalised (no embedding at write time); when windows are embedded as
 * text ({@link #embedText()}) that vector is a stand-in, {@linkplain Window#pending() pending} until the indexer,
 * when idle, embeds the window's text and puts the result in its place. Pure: the indexer supplies the session in
 * the order its cubes were created, and each cube's own vector.
 */
public final class ContextWindow {
    /** Weight of each neighbour's vector against the cube's own in the window vector. */
    static final float NEIGHBOUR_WEIGHT = 0.5f;

    /**
     * What a cube is indexed with besides its own text and vector.
     *
     * @param pending the vector stands in for the embedding of {@code text}, which is still to be computed
     */
    public record Window(String text, float[] vector, boolean pending) {
        public Window {
            Objects.requireNonNull(text, "text");
            pending = pending && vector != null;
        }

        /** A window whose vector is final (the embedding of its text, or a stand-in that stays). */
        public Window(String text, float[] vector) {
            this(text, vector, false);
        }
    }

    private final int before;
    private final int after;
    private final boolean embedText;

    /** Windows whose vectors stay the mix of their cubes' vectors. */
    public ContextWindow(int before, int after) {
        this(before, after, false);
    }

    /**
     * @param embedText whether a window of several cubes is later embedded as text ({@link Window#pending()})
     */
    public ContextWindow(int before, int after, boolean embedText) {
        if (before < 0 || after < 0) {
            throw new IllegalArgumentException("window sizes must not be negative, were " + before + " and " + after);
        }
        this.before = before;
        this.after = after;
        this.embedText = embedText;
    }

    /** Whether windows of several cubes are embedded as text when the indexer is idle. */
    public boolean embedText() {
        return embedText;
    }

    public int before() {
        return before;
    }

    public int after() {
        return after;
    }

    public boolean enabled() {
        return before + after > 0;
    }

    /** The session's text cubes, in the order given (the store gives them in the order they were created). */
    static List<MemCube> ordered(List<MemCube> session) {
        return session.stream().filter(c -> c.payload() instanceof TextPayload).toList();
    }

    /**
     * The cubes of the session whose windows change when the cubes {@code touched} are written or updated: each
     * of them and the cubes that hold one of them within their window.
     */
    public List<MemCube> affected(List<MemCube> session, Set<CubeId> touched) {
        List<MemCube> ordered = ordered(session);
        Set<MemCube> out = new LinkedHashSet<>();
        for (int i = 0; i < ordered.size(); i++) {
            if (touched.contains(ordered.get(i).id())) {
                for (int j = Math.max(0, i - after); j <= Math.min(ordered.size() - 1, i + before); j++) {
                    out.add(ordered.get(j));
                }
            }
        }
        return List.copyOf(out);
    }

    /**
     * The windows of {@code wanted}, cubes of {@code session}. {@code vectors} gives a cube's own vector (null
     * when it has none: the window then has none either where the cube's own is missing).
     */
    public Map<CubeId, Window> windows(List<MemCube> session, List<MemCube> wanted, Function<CubeId, float[]> vectors) {
        List<MemCube> ordered = ordered(session);
        Map<CubeId, Integer> position = new HashMap<>();
        for (int i = 0; i < ordered.size(); i++) {
            position.put(ordered.get(i).id(), i);
        }
        Map<CubeId, Window> out = new HashMap<>();
        for (MemCube cube : wanted) {
            Integer at = position.get(cube.id());
            if (at == null) {
                continue;
            }
            List<String> lines = new ArrayList<>();
            float[] own = vectors.apply(cube.id());
            float[] mixed = own == null ? null : own.clone();
            for (int j = Math.max(0, at - before); j <= Math.min(ordered.size() - 1, at + after); j++) {
                MemCube neighbour = ordered.get(j);
                lines.add(((TextPayload) neighbour.payload()).text());
                float[] theirs = j == at || mixed == null ? null : vectors.apply(neighbour.id());
                if (theirs != null && theirs.length == mixed.length) {
                    for (int d = 0; d < mixed.length; d++) {
                        mixed[d] += NEIGHBOUR_WEIGHT * theirs[d];
                    }
                }
            }
            out.put(cube.id(), new Window(String.join("\n", lines), mixed == null ? null : normalised(mixed),
                    embedText && lines.size() > 1));
        }
        return out;
    }

    private static float[] normalised(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        if (norm == 0) {
            return v;
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < v.length; i++) {
            v[i] *= scale;
        }
        return v;
    }
}
