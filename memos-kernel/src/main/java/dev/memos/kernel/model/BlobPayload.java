package dev.memos.kernel.model;

import dev.memos.kernel.error.InvalidException;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A reference to binary tier content (a KV-cache snapshot, a LoRA adapter) held by a blob store.
 *
 * @param sha256 content address, 64 lower-case hex digits
 * @param size bytes
 * @param mediaType e.g. {@code application/vnd.memos.kv-state} or {@code application/vnd.memos.lora+gguf}
 * @param model the model the state or weights belong to
 * @param attributes what the content is valid for, readable without fetching it (token count, context settings,
 *        adapter set, rank …): keys are labels, values single lines
 */
public record BlobPayload(String sha256, long size, String mediaType, String model, Map<String, String> attributes)
        implements Payload {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    public static final int MAX_ATTRIBUTES = 32;
    /** Room for an activation cube's 256 sources ({@code id@version,…}); all attributes together fit 16,000. */
    public static final int MAX_ATTRIBUTE_VALUE = 12_000;
    public static final int MAX_ATTRIBUTES_LENGTH = 16_000;

    public BlobPayload {
        Check.required("sha256", sha256);
        if (!SHA256.matcher(sha256).matches()) {
            throw new InvalidException("sha256", "must be 64 lower-case hex digits");
        }
        if (size < 0) {
            throw new InvalidException("size", "must not be negative, was " + size);
        }
        Check.text("mediaType", mediaType, Limits.MAX_NAME);
        Check.text("model", model, Limits.MAX_NAME);
        attributes = attributes == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(attributes));
        if (attributes.size() > MAX_ATTRIBUTES) {
            throw new InvalidException("attributes", "at most " + MAX_ATTRIBUTES + "; got " + attributes.size());
        }
        int total = attributes.entrySet().stream().mapToInt(e -> e.getKey().length() + 2
                + (e.getValue() == null ? 0 : e.getValue().length())).sum();
        if (total > MAX_ATTRIBUTES_LENGTH) {
            throw new InvalidException("attributes", "are " + total + " characters together; the limit is "
                    + MAX_ATTRIBUTES_LENGTH);
        }
        attributes.forEach((key, value) -> {
            Check.label("attributes", key);
            Check.maxLength("attributes." + key, Check.required("attributes." + key, value), MAX_ATTRIBUTE_VALUE);
            if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
                throw new InvalidException("attributes." + key, "must be a single line");
            }
        });
    }

    public BlobPayload(String sha256, long size, String mediaType, String model) {
        this(sha256, size, mediaType, model, Map.of());
    }
}
