package dev.memos.kernel.spi;

import java.io.InputStream;
import java.util.Optional;

/**
 * Content-addressed storage for activation and parameter payloads (KV-cache snapshots, LoRA
 * adapters). Implemented with the tier engines.
 */
public interface BlobStore {

    /** Stores the bytes and returns their SHA-256 (lower-case hex); storing the same bytes twice is a no-op. */
    String put(InputStream content);

    Optional<InputStream> get(String sha256);

    boolean delete(String sha256);
}
