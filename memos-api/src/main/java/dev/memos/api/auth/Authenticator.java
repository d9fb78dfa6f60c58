package dev.memos.api.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.memos.api.MemosConfig;
import dev.memos.kernel.Directory;
import dev.memos.kernel.access.ApiKeys;
import dev.memos.kernel.access.Principal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;

/**
 * Authenticates API keys with the directory and remembers each key that authenticated, by its hash, for
 * {@code memos.api.key-cache}: a request then needs no database round trip for its key (about a third of the
 * work outside retrieval in a search at a million cubes, docs/benchmarks.md). Principals and keys change only
 * when an operator bootstraps a new administrator key; another instance sharing the database accepts the old key
 * for at most that long. Keys that fail are never remembered. Grants are not cached: every request checks them.
 */
@ApplicationScoped
public class Authenticator {
    /** Keys remembered at most; a busy service sees far fewer callers. */
    static final int MAX_KEYS = 10_000;

    private final Directory directory;
    private final Cache<String, Principal> recent;

    @Inject
    public Authenticator(Directory directory, MemosConfig config) {
        this(directory, config.api().keyCache(), Ticker.systemTicker());
    }

    Authenticator(Directory directory, Duration keep, Ticker ticker) {
        this.directory = directory;
        this.recent = keep.isZero() ? null
                : Caffeine.newBuilder().expireAfterWrite(keep).maximumSize(MAX_KEYS).ticker(ticker).build();
    }

    /** The principal the key belongs to; {@link dev.memos.kernel.error.UnauthenticatedException} if none. */
    public Principal authenticate(String apiKey) {
        if (recent == null || apiKey == null || apiKey.isBlank()) {
            return directory.authenticate(apiKey);
        }
        return recent.get(ApiKeys.hash(apiKey.strip()), hash -> directory.authenticate(apiKey));
    }
}
