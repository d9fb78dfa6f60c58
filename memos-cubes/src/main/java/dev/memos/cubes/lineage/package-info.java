/** The lineage stores: embedded (relational tables, recursive SQL) and Neo4j. */
package dev.memos.cubes.lineage;
