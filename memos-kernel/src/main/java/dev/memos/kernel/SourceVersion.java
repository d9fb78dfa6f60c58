package dev.memos.kernel;

import dev.memos.kernel.error.InvalidException;
import dev.memos.kernel.model.CubeId;

import java.util.Objects;

/** A cube an adapter was trained from: at the version a distillation export named, or (null) its live one. */
public record SourceVersion(CubeId cube, Integer version) {
    public SourceVersion {
        Objects.requireNonNull(cube, "cube");
        if (version != null && version < 1) {
            throw new InvalidException("derivedFrom", "versions start at 1; got " + version);
        }
    }

    /** {@code id} or {@code id@version}, as a distillation manifest lists them. */
    public static SourceVersion parse(String text) {
        int at = text.indexOf('@');
        if (at < 0) {
            return new SourceVersion(CubeId.parse(text.strip()), null);
        }
        try {
            return new SourceVersion(CubeId.parse(text.substring(0, at).strip()), Integer.parseInt(text.substring(at + 1).strip()));
        } catch (NumberFormatException e) {
            throw new InvalidException("derivedFrom", "'" + text + "' is not id@version");
        }
    }
}
