/**
 * The memos kernel: plain Java, no framework. {@link dev.memos.kernel.MemoryKernel} holds the cube
 * operations, {@link dev.memos.kernel.Directory} principals, spaces and grants; both work through
 * the SPIs in {@link dev.memos.kernel.spi} and enforce lifecycle, versioning and access rules.
 */
package dev.memos.kernel;
