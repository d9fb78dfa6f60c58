package dev.memos.kernel.error;

import java.util.Objects;

/**
 * The operation needs a capability this memos was not configured with (an inference engine, a model).
 * Retrying does not help; the operator must set {@link #setting()}.
 */
public final class NotConfiguredException extends MemosException {
    private final String setting;

    public NotConfiguredException(String message, String setting) {
        super(message);
        this.setting = Objects.requireNonNull(setting, "setting");
    }

    /** The configuration key that would enable the operation, e.g. {@code memos.engine.model}. */
    public String setting() {
        return setting;
    }

    @Override
    public String code() {
        return "not-configured";
    }
}
