/**
 * The kernel's small exception hierarchy. Every failure a caller can cause or observe is one of
 * these; the API maps each to an HTTP status and an RFC 9457 problem type.
 */
package dev.memos.kernel.error;
