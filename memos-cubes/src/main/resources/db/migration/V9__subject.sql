-- Data subjects (docs/privacy.md, "Data subjects"): the person a version is about, so that everything about a
-- person can be listed, exported, rectified and erased. Purged with the rest of the content when a cube is erased.
alter table cube_version add column subject varchar(128);
create index cube_version_subject on cube_version (subject);
