-- Context windows (docs/retrieval.md): the indexer reads the cubes of a message's session to index it with its
-- neighbours. Without this index each read scanned every version.
create index cube_version_session on cube_version (session_id);
