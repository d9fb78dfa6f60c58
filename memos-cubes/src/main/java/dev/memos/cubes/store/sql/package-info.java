/**
 * The relational back end of the cube, directory and outbox SPIs: Hibernate ORM with Panache over
 * H2 (embedded) or PostgreSQL, schema by Flyway migrations under {@code db/migration}. Tenancy is
 * part of every query that names a cube or a space.
 */
package dev.memos.cubes.store.sql;
