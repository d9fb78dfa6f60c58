-- The audit trail (docs/privacy.md): append-only entries in a hash chain, and its head. Appends lock the head row,
-- so entries get consecutive numbers and each names the hash of the one before.
create table audit_entry (
    seq        bigint        not null primary key,
    at         timestamp with time zone not null,
    actor      varchar(64)   not null,
    action     varchar(32)   not null,
    space_name varchar(63),
    target     varchar(128),
    detail     varchar(1024),
    prev_hash  varchar(64)   not null,
    hash       varchar(64)   not null
);
create index audit_entry_space on audit_entry (space_name, seq);
create index audit_entry_at on audit_entry (at);

create table audit_head (
    id         integer       not null primary key,
    first_seq  bigint        not null,
    anchor     varchar(64)   not null,
    last_seq   bigint        not null,
    last_hash  varchar(64)   not null
);
insert into audit_head (id, first_seq, anchor, last_seq, last_hash)
values (1, 1, '0000000000000000000000000000000000000000000000000000000000000000', 0,
        '0000000000000000000000000000000000000000000000000000000000000000');
