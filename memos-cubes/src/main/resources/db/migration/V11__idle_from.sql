-- The forgetting curve (docs/operations.md, the scheduler's lifecycle policies): recalls postpone the time a cube starts to count as idle.
-- Null until the cube's usage is next recorded: then its last access, or its creation, counts, as before.
alter table cube add column idle_from timestamp with time zone;
