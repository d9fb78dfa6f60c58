-- Purpose- and sensitivity-bound grants (docs/privacy.md, "Who may read what"). A grant reaches a cube another
-- principal owns only when it clears every sensitivity label the cube has carried and, if bound to purposes,
-- serves every version's purpose. The two flags keep the common grant (cleared for all, bound to nothing) to one
-- column test in every read query.
--
-- Grants from before this migration saw every cube of their space: they keep doing so (clear_all), so an upgrade
-- takes no access away without an administrator deciding it. New READ and WRITE grants start with no clearance.
alter table space_grant add column clear_all boolean default true not null;
alter table space_grant add column purpose_bound boolean default false not null;

create table grant_clearance (
    space_name   varchar(63) not null,
    principal_id varchar(64) not null,
    label        varchar(64) not null,
    primary key (space_name, principal_id, label),
    foreign key (space_name, principal_id) references space_grant (space_name, principal_id) on delete cascade
);

create table grant_purpose (
    space_name   varchar(63) not null,
    principal_id varchar(64) not null,
    purpose      varchar(64) not null,
    primary key (space_name, principal_id, purpose),
    foreign key (space_name, principal_id) references space_grant (space_name, principal_id) on delete cascade
);

-- Every sensitivity label any version of a cube has carried: reading an old version must need the clearance its
-- own labels need. Removed with the cube's content when it is deleted.
create table cube_label (
    cube_id uuid        not null references cube (id),
    label   varchar(64) not null,
    primary key (cube_id, label)
);

-- The labels already written, split out of the versions' comma-joined lists.
insert into cube_label (cube_id, label)
with recursive parts (cube_id, label, rest) as (
    select cube_id, cast('' as varchar(1300)), cast(sensitivity || ',' as varchar(1300))
    from cube_version where sensitivity is not null and sensitivity <> ''
    union all
    select cube_id, cast(substring(rest from 1 for position(',' in rest) - 1) as varchar(1300)),
           cast(substring(rest from position(',' in rest) + 1) as varchar(1300))
    from parts where rest <> ''
)
select distinct cube_id, label from parts where label <> '';
