package dev.memos.kernel.spi;

import java.time.Instant;
import java.util.List;

/**
 * Turns raw material an agent hands over (conversation messages, a document) into facts worth
 * keeping as plaintext cubes. The default is offline and rule-based; a model-backed extractor can
 * replace it behind this interface.
 */
public interface Extractor {

    /** One utterance of a conversation. {@code time} may be null (then the material's time applies). */
    record Message(String speaker, String text, Instant time) {
    }

    /**
     * What to extract from: messages of a conversation, or a document's text (then {@code messages}
     * is empty and {@code document} holds the text).
     */
    record Material(List<Message> messages, String title, String document, String sourceRef, Instant time) {
    }

    /** A fact to keep: its text, who said it (null for a document), when it held, where it came from. */
    record Fact(String text, String speaker, Instant time, String sourceRef) {
    }

    List<Fact> extract(Material material);
}
