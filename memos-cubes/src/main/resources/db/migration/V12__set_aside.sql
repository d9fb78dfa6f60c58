-- Cubes a bus consumer set aside because a back end refused their input (docs/operations.md, "Set aside"):
-- the search indexer records a cube whose text the embedder refuses, indexes it for keywords only, and goes on.
-- No content: the id, the space, and a reason that never quotes the input. Rows go when the cube is indexed
-- after all or is gone.
create table set_aside (
    cube_id   uuid primary key,
    space_name varchar(63)  not null,
    reason    varchar(512) not null,
    attempts  integer not null,
    first_at  timestamp with time zone not null,
    last_at   timestamp with time zone not null
);
create index set_aside_space on set_aside (space_name);
