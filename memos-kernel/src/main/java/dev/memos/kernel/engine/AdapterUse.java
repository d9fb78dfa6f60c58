package dev.memos.kernel.engine;

import dev.memos.kernel.error.InvalidException;
import dev.memos.kernel.model.Check;

/**
 * A loaded LoRA adapter applied to one request with a scale (0 = no effect, 1 = as trained).
 *
 * @param sha256 the adapter file's SHA-256, as it was loaded into the engine
 * @param scale the factor its low-rank update is multiplied by
 */
public record AdapterUse(String sha256, float scale) implements Comparable<AdapterUse> {
    /** Scales beyond this are almost certainly a mistake (the update would swamp the base weights). */
    public static final float MAX_SCALE = 4f;

    public AdapterUse {
        Check.required("sha256", sha256);
        if (!(scale >= -MAX_SCALE && scale <= MAX_SCALE)) {
            throw new InvalidException("scale", "must be between -" + MAX_SCALE + " and " + MAX_SCALE + ", was " + scale);
        }
    }

    /** The canonical text form in blob headers: {@code sha256:scale}. */
    @Override
    public String toString() {
        return sha256 + ":" + scale;
    }

    @Override
    public int compareTo(AdapterUse other) {
        int c = sha256.compareTo(other.sha256);
        return c != 0 ? c : Float.compare(scale, other.scale);
    }
}
