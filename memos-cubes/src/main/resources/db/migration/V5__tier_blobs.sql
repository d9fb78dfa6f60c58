-- Activation and parameter tiers: what a blob is valid for (model, context, adapters, token count …) beside its
-- reference, and the blobs themselves in the memos database, content-addressed and split into chunks of at most
-- 1 MiB so neither H2 nor PostgreSQL holds a 30 MB value in one row (docs/adr/0008-tier-blobs-in-the-database.md).
alter table cube_version add column blob_attributes varchar(16384);

create table blob (
    sha256      varchar(64) not null primary key,
    size        bigint      not null,
    chunks      integer     not null,
    created_at  timestamp with time zone not null
);

create table blob_chunk (
    sha256  varchar(64) not null references blob (sha256),
    seq     integer     not null,
    content bytea       not null,
    primary key (sha256, seq)
);
