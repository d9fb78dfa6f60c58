/** Queries over cubes and their paging. */
package dev.memos.kernel.query;
