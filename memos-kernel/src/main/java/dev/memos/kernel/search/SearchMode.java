package dev.memos.kernel.search;

/** How candidates are found: by words (BM25), by meaning (vectors), or both fused. */
public enum SearchMode {
    KEYWORD, VECTOR, HYBRID;

    public boolean usesKeywords() {
        return this != VECTOR;
    }

    public boolean usesVectors() {
        return this != KEYWORD;
    }
}
