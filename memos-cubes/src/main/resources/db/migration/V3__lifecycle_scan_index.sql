-- The lifecycle policies look for cubes of one state: expired ones (SqlCubeStore.findExpired, one range per
-- state) and idle ones (findIdle). Without this index each run scanned the whole cube table: about a second
-- a run at a million cubes, while searches waited for the CPU (docs/benchmarks.md).
create index cube_state_expires on cube (state, expires_at);
