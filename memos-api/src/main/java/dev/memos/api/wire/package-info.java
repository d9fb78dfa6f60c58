/** What crosses the wire: API records mapped from kernel values at the edge. Entities never get here. */
package dev.memos.api.wire;
