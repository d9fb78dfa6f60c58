/** Kernel events: every committed change, as the outbox records it and the bus carries it. */
package dev.memos.kernel.event;
