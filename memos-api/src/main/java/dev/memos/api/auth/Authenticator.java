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
import java.util.List;

/**
 * Authenticates API keys with the directory and remembers each key that authenticated, by its hash, for
 * {@code memos.api.key-cache}: a request then needs no database round trip for its key (about a third of the
 * work outside retrieval in a search at a million cubes, docs/benchmarks.md). Principals and keys change only
 * when a key is replaced ({@code POST /v1/principals/{id}/key}, or a new {@code MEMOS_ADMIN_KEY}): then every
 * instance forgets the principal's keys as soon as the event {@code principal.key-changed} reaches it through the
 * bus ({@link #accept}), not when a timer runs out. Keys that fail are never remembered. Grants are not cached:
 * every request checks them.
 */
@ApplicationScoped
public class Authenticator implements java.util.function.Consumer<List<dev.memos.kernel.event.KernelEvent>> {
    /** The bus group of this consumer; one per instance (each instance has its own cache). */
    public static final String GROUP = "key-cache";

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

    /** Forgets every remembered key of the principal: its next request asks the database. */
    public void forget(String principalId) {
        if (recent != null) {
            recent.asMap().values().removeIf(p -> p.id().equals(principalId));
        }
    }

    /** Forgets the keys of principals whose key changed, on whichever instance it changed. */
    @Override
    public void accept(List<dev.memos.kernel.event.KernelEvent> events) {
        for (var event : events) {
            if (event.type() == dev.memos.kernel.event.EventType.PRINCIPAL_KEY_CHANGED) {
                forget(event.data().get("principal"));
            }
        }
    }
}
