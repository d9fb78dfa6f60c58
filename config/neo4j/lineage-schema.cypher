// The lineage graph's schema in Neo4j. memos runs every statement at start (Neo4jLineageStore);
// each is idempotent (IF NOT EXISTS), so a restart or a second instance changes nothing.
// Statements end with a semicolon; lines starting with // are comments.

// One node per cube version, keyed "<cube id>@<version>".
CREATE CONSTRAINT memos_cube_version_key IF NOT EXISTS
FOR (v:CubeVersion) REQUIRE v.key IS UNIQUE;

// Finding every version of a cube (the roots of a lineage walk).
CREATE INDEX memos_cube_version_cube IF NOT EXISTS
FOR (v:CubeVersion) ON (v.cubeId);

// Finding every version of a space's cubes (removed with the space).
CREATE INDEX memos_cube_version_space IF NOT EXISTS
FOR (v:CubeVersion) ON (v.space);
