package dev.memos.api.config;

import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.util.Optional;

/** memos.lineage.* settings. */
public interface LineageSettings {
    /** Where the lineage graph lives: {@code embedded} (tables in the memos database) or {@code neo4j}. */
    @WithDefault("embedded")
    Kind kind();

    Neo4j neo4j();

    enum Kind { embedded, neo4j }

    interface Neo4j {
        /** The Neo4j server's Bolt address. */
        @WithDefault("bolt://127.0.0.1:7687")
        String uri();

        /** Leave unset for a server without authentication. */
        Optional<String> user();

        /** The password of {@code user}. */
        Optional<String> password();

        /** The Neo4j database the graph is written to. */
        @WithDefault("neo4j")
        String database();

        /** A Cypher schema file to apply at start instead of the built-in copy of config/neo4j/lineage-schema.cypher. */
        @WithName("schema-file")
        Optional<String> schemaFile();
    }
}
