/**
 * The MemCube model: identity, payload, provenance, bi-temporal stamps, lifecycle, governance and
 * usage, as immutable values that validate on construction.
 */
package dev.memos.kernel.model;
