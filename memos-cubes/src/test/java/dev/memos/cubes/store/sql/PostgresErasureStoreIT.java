package dev.memos.cubes.store.sql;

import io.quarkus.test.junit.QuarkusTest;

/** The erasure store on a real PostgreSQL server (started by ./memos test): VACUUM FULL runs outside a transaction. */
@QuarkusTest
@io.quarkus.test.junit.TestProfile(PostgresProfile.class)
class PostgresErasureStoreIT extends ErasureStoreChecks {
}
