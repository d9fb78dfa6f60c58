package dev.memos.kernel.model;

/** The kernel operation that produced a cube version. */
public enum Operation {
    WRITE, UPDATE, ROLLBACK, EXTRACT, MERGE, MIGRATE, IMPORT
}
