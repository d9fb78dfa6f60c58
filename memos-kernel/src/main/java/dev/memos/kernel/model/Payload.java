package dev.memos.kernel.model;

/** What a cube carries. Plaintext cubes carry {@link TextPayload}; activation and parameter cubes a {@link BlobPayload}. */
public sealed interface Payload permits TextPayload, BlobPayload, Payload.Purged {

    /** What is left of a deleted cube's payload: nothing. */
    record Purged() implements Payload {
        public static final Purged INSTANCE = new Purged();
    }
}
