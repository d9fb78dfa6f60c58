-- The live version's recording time joins the cube row's header: a search filters (recordedFrom/recordedTo) and
-- ranks (recency) its candidates by the cube rows alone and reads the versions of its hits only. At a million
-- cubes the version rows of every candidate were the largest part of a search (docs/benchmarks.md).
alter table cube add column recorded_at timestamp with time zone;
update cube set recorded_at = (select v.recorded_at from cube_version v where v.cube_id = cube.id and v.version = cube.version);
alter table cube alter column recorded_at set not null;
