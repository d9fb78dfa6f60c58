/**
 * Lineage: the graph of cube versions and the operations that link them, as the lineage stores keep
 * it ({@link dev.memos.kernel.spi.LineageStore}) and as a caller may see it ({@link dev.memos.kernel.Lineage}).
 */
package dev.memos.kernel.lineage;
