package dev.memos.kernel.model;

/** Size limits on what a caller may store. One place, so the API documents what the kernel enforces. */
public final class Limits {
    /** Characters of plaintext in one cube. */
    public static final int MAX_TEXT = 65_536;
    public static final int MAX_TAGS = 32;
    public static final int MAX_SENSITIVITY_LABELS = 16;
    public static final int MAX_DERIVED_FROM = 256;
    public static final int MAX_REF = 512;
    /** Versions of one cube an import accepts. */
    public static final int MAX_IMPORT_VERSIONS = 1_000;
    public static final int MAX_NAME = 128;
    public static final int MAX_DESCRIPTION = 1_024;
    public static final int MIN_PRIORITY = -100;
    public static final int MAX_PRIORITY = 100;
    public static final int MAX_PAGE = 200;
    public static final int DEFAULT_PAGE = 50;

    private Limits() {
    }
}
