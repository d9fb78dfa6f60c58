package dev.memos.kernel.model;

/** Where a cube's payload lives and what it is. */
public enum Tier {
    /** Text memories: facts, events, preferences, document chunks. */
    PLAINTEXT,
    /** Inference-ready state for one model, e.g. a KV-cache snapshot. */
    ACTIVATION,
    /** Knowledge baked into weights: a LoRA adapter. */
    PARAMETER
}
