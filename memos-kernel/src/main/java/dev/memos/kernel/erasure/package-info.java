/**
 * Erasure that can be verified: the request, its report, and the probes an eraser scans the data files for
 * (docs/privacy.md).
 */
package dev.memos.kernel.erasure;
