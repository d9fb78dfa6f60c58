package dev.memos.kernel.model;

/** Where a memory came from. */
public enum Source {
    CONVERSATION, DOCUMENT, API, KAFKA, DERIVATION
}
