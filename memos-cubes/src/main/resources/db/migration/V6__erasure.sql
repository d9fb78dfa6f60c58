-- Erasure requests and their reports (docs/privacy.md). A request names what was erased by id only.
create table erasure (
    id             uuid          not null primary key,
    scope          varchar(16)   not null,
    target         varchar(64)   not null,
    space_name     varchar(63)   not null,
    requested_by   varchar(64)   not null,
    requested_at   timestamp with time zone not null,
    due_at         timestamp with time zone not null,
    cascade_derived boolean      not null,
    cube_count     bigint        not null,
    derived_hidden integer       not null,
    status         varchar(16)   not null,
    completed_at   timestamp with time zone
);
create index erasure_status on erasure (status, requested_at);
create index erasure_space on erasure (space_name, requested_at);

-- The cubes of a request: erased, or derived from an erased one and kept ("kept").
create table erasure_cube (
    erasure_id uuid        not null references erasure (id),
    cube_id    uuid        not null,
    role       varchar(8)  not null,
    primary key (erasure_id, cube_id)
);

-- The report: one row per place checked.
create table erasure_check (
    erasure_id uuid          not null references erasure (id),
    seq        integer       not null,
    place      varchar(32)   not null,
    action     varchar(1024) not null,
    outcome    varchar(2048) not null,
    passed     boolean       not null,
    primary key (erasure_id, seq)
);
