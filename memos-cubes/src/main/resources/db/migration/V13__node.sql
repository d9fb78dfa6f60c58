-- The instances running on this database (docs/operations.md, "Several instances"): each writes its row at start
-- and every 10 s, and deletes it when it stops. An instance on the in-process bus refuses to start while another
-- instance was seen within 30 s: its relay would mark events published that the others never see.
create table node (
    instance_id varchar(64) primary key,
    bus_kind    varchar(16) not null,
    started_at  timestamp with time zone not null,
    last_seen   timestamp with time zone not null
);
