/** The tamper-evident audit trail: entries in a hash chain, and how it is checked (docs/privacy.md). */
package dev.memos.kernel.audit;
