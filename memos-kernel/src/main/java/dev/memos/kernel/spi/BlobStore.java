package dev.memos.kernel.spi;

import java.util.Optional;

/**
 * Content-addressed storage for activation and parameter payloads (KV-state snapshots, LoRA adapters). Calls
 * join the caller's transaction where the store has one, so a blob and the cube naming it commit together.
 * A blob no cube version names any more is deleted by the cube store when it purges (erasure).
 */
public interface BlobStore {

    /** Stores the bytes and returns their SHA-256 (lower-case hex); storing the same bytes twice is a no-op. */
    String put(byte[] content);

    /**
     * The bytes stored under {@code sha256}, checked against it.
     *
     * @throws dev.memos.kernel.error.ConflictException when the stored bytes no longer match their address
     */
    Optional<byte[]> get(String sha256);

    boolean exists(String sha256);
}
