/** Principals, spaces, grants and API keys: who may act on which memories. */
package dev.memos.kernel.access;
