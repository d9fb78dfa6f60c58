package dev.memos.api;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.util.Optional;

/** memos' own configuration, under the {@code memos.} prefix. */
@ConfigMapping(prefix = "memos")
public interface MemosConfig {

    /**
     * Directory for everything memos keeps on disk: the embedded database, the generated admin key,
     * (later) the search index. A relative path must start with {@code ./}.
     */
    @WithName("data-dir")
    @WithDefault("./data")
    String dataDir();

    Admin admin();

    Api api();

    interface Admin {
        /**
         * The administrator's API key (environment: {@code MEMOS_ADMIN_KEY}), at least 24 characters.
         * Unset, a key is generated on first start and written once to {@code <data-dir>/admin.key}.
         */
        Optional<String> key();
    }

    interface Api {
        /** The largest request body accepted, in bytes; larger ones get 413. */
        @WithDefault("1048576")
        long maxBodyBytes();
    }
}
