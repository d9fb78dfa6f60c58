package dev.memos.cubes.store.sql;

import io.quarkus.test.junit.QuarkusTest;

/** The erasure store on H2 (in memory: reclaim has no file to rewrite and says so). */
@QuarkusTest
class H2ErasureStoreTest extends ErasureStoreChecks {
}
