-- One row that a relay locks (select … for update) for as long as it publishes a batch and marks it published:
-- the relays of several instances on one database take turns, so none publishes what another is publishing
-- (each event reaches the bus once, unless a relay dies between publishing and its commit).
create table relay_claim (
    id int primary key
);
insert into relay_claim (id) values (1);
