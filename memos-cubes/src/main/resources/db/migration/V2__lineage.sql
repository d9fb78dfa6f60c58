-- The embedded lineage store: cube versions and the operations that link them (docs/lineage.md).
-- Derived from the outbox events; `memos admin relineage` rebuilds it.
create table lineage_node (
    node_key   varchar(48) not null primary key,
    cube_id    uuid        not null,
    version    integer     not null,
    space_name varchar(63)
);
create index lineage_node_cube on lineage_node (cube_id);

create table lineage_edge (
    from_key    varchar(48) not null,
    type        varchar(16) not null,
    to_key      varchar(48) not null,
    operation   varchar(32) not null,
    actor       varchar(64) not null,
    occurred_at timestamp with time zone not null,
    event_id    uuid        not null,
    primary key (from_key, type, to_key)
);
create index lineage_edge_to on lineage_edge (to_key, type);
