package dev.memos.kernel.model;

import dev.memos.kernel.error.InvalidException;

import java.util.regex.Pattern;

/**
 * A reference to binary tier content (a KV-cache snapshot, a LoRA adapter) held by a blob store.
 *
 * @param sha256 content address, 64 lower-case hex digits
 * @param size bytes
 * @param mediaType e.g. {@code application/vnd.memos.kv-cache} or {@code application/safetensors}
 * @param model the model the state or weights belong to
 */
public record BlobPayload(String sha256, long size, String mediaType, String model) implements Payload {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

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
    }
}
