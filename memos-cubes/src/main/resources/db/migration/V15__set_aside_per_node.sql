-- Cubes set aside, per node (docs/operations.md, "Set aside"): every node keeps its own search index, so a cube
-- one node's indexer set aside may be indexed in full on another, and a retry on one node must not clear what
-- another still holds for keywords only. Rows from before this migration (instance_id '') belong to no node:
-- every node lists them and any node's retry clears them.
create table index_set_aside (
    instance_id varchar(64)  not null,
    cube_id     uuid         not null,
    space_name  varchar(63)  not null,
    reason      varchar(512) not null,
    attempts    integer      not null,
    first_at    timestamp with time zone not null,
    last_at     timestamp with time zone not null,
    primary key (instance_id, cube_id)
);
create index index_set_aside_space on index_set_aside (space_name);
insert into index_set_aside (instance_id, cube_id, space_name, reason, attempts, first_at, last_at)
    select '', cube_id, space_name, reason, attempts, first_at, last_at from set_aside;
drop table set_aside;
