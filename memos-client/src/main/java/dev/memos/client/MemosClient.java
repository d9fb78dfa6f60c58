package dev.memos.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memos.client.model.Admin;
import dev.memos.client.model.Archive;
import dev.memos.client.model.Page;
import dev.memos.client.model.Search;
import dev.memos.client.model.Spaces;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A typed client for the memos REST API (docs/api.md). Thread-safe; one per service and key.
 *
 * <pre>{@code
 * MemosClient memos = MemosClient.builder().url("http://127.0.0.1:8080").apiKey(key).build();
 * Cube cube = memos.cubes().write("notes", NewCube.of("Alice prefers green tea").tags(List.of("drinks")));
 * Search.Result found = memos.search("notes", Search.Request.of("What does Alice drink?").readYourWrites());
 * }</pre>
 *
 * Errors are {@link MemosException}s: {@link MemosException.NotFound}, {@link MemosException.StaleVersion} …
 * carrying the service's {@link Problem}.
 */
public final class MemosClient {
    private final Transport transport;
    private final CubesClient cubes;
    private final SpacesClient spaces;
    private final PrivacyClient privacy;
    private final AdminClient admin;
    private final TiersClient tiers;

    private MemosClient(Transport transport, Duration slow) {
        this.transport = transport;
        this.cubes = new CubesClient(transport);
        this.spaces = new SpacesClient(transport);
        this.privacy = new PrivacyClient(transport);
        this.admin = new AdminClient(transport);
        this.tiers = new TiersClient(transport, slow);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The service URL this client talks to. */
    public String url() {
        return transport.base();
    }

    /** The JSON mapper the client reads and writes with (Java time, no nulls written, unknown fields ignored). */
    public static ObjectMapper json() {
        return Transport.JSON;
    }

    public CubesClient cubes() {
        return cubes;
    }

    public SpacesClient spaces() {
        return spaces;
    }

    /** Erasures, data subjects, the audit trail. */
    public PrivacyClient privacy() {
        return privacy;
    }

    /** The search index, lineage rebuilds (administrators). */
    public AdminClient admin() {
        return admin;
    }

    /** Chat, the engine, the activation and parameter tiers, distillation. */
    public TiersClient tiers() {
        return tiers;
    }

    /** Searches one space. */
    public Search.Result search(String space, Search.Request request) {
        return transport.call(Transport.Call.post("/v1/spaces/" + Transport.segment(space) + "/search", request)
                .retrying(), Search.Result.class);
    }

    /** Searches every space the key may read. */
    public Search.Result search(Search.Request request) {
        return transport.call(Transport.Call.post("/v1/search", request).retrying(), Search.Result.class);
    }

    /** Ingests records (docs/ingest.md); a record's own {@code id} makes it idempotent, and the call is retried. */
    public Archive.Ingested ingest(List<JsonNode> records) {
        return transport.call(Transport.Call.post("/v1/ingest", new Archive.IngestRequest(records)).retrying(),
                Archive.Ingested.class);
    }

    /** The principal the key belongs to. */
    public Spaces.Principal whoami() {
        return transport.call(Transport.Call.get("/v1/principals/me"), Spaces.Principal.class);
    }

    /** Creates a principal and its key (administrators). */
    public Spaces.IssuedPrincipal createPrincipal(Spaces.NewPrincipal principal) {
        return transport.call(Transport.Call.post("/v1/principals", principal), Spaces.IssuedPrincipal.class);
    }

    /**
     * Replaces a principal's API key ({@code "me"}: the caller's own); the answer holds the new key, shown this
     * once. The old key stops working on every node at once: a client still using it gets 401.
     */
    public Spaces.IssuedPrincipal replaceKey(String principalId) {
        return transport.call(Transport.Call.post("/v1/principals/" + Transport.segment(principalId) + "/key", null),
                Spaces.IssuedPrincipal.class);
    }

    /** The service's health (needs no key): UP, or DOWN with the failing checks (a DOWN service answers 503). */
    public Health health() {
        Transport.Reply reply = transport.exchange(Transport.Call.get("/q/health").noRetry());
        try {
            return Transport.JSON.readValue(reply.body(), Health.class);
        } catch (Exception e) {
            throw new MemosException.Unreachable("the health answer (HTTP " + reply.status() + ") was not JSON", e);
        }
    }

    /** @param checks each check's name, status and data */
    public record Health(String status, List<Map<String, Object>> checks) {
    }

    /** How far the index of a space is behind its writes. */
    public Search.Lag indexLag(String space) {
        return transport.call(Transport.Call.get("/v1/spaces/" + Transport.segment(space) + "/search/lag"),
                Search.Lag.class);
    }

    /** The scheduler's decisions about a space's cubes, newest first. */
    public Page<Admin.Decision> schedulerLog(String space, Integer limit, String cursor) {
        return transport.call(Transport.Call.get("/v1/spaces/" + Transport.segment(space) + "/scheduler/log"
                + Transport.query(Transport.params("limit", limit, "cursor", cursor))), new TypeReference<>() {
        });
    }

    /**
     * Every item of a paged listing, fetched page by page as the stream is consumed: {@code page} gets the cursor
     * (null for the first page).
     */
    public static <T> Stream<T> all(Function<String, Page<T>> page) {
        Iterator<T> items = new Iterator<>() {
            private Iterator<T> current = List.<T>of().iterator();
            private String cursor;
            private boolean last;

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && !last) {
                    Page<T> next = page.apply(cursor);
                    current = next.items().iterator();
                    cursor = next.nextCursor();
                    last = cursor == null;
                }
                return current.hasNext();
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.next();
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(items, Spliterator.ORDERED), false);
    }

    public static final class Builder {
        private String url = "http://127.0.0.1:8080";
        private String apiKey;
        private int retries = 3;
        private Duration backoff = Duration.ofMillis(200);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration timeout = Duration.ofSeconds(60);
        private Duration slowTimeout = Duration.ofMinutes(10);

        public Builder url(String url) {
            this.url = url;
            return this;
        }

        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /** How often a retryable request is sent again after a broken connection or a 503/429 (default 3). */
        public Builder retries(int retries) {
            if (retries < 0) {
                throw new IllegalArgumentException("retries must not be negative");
            }
            this.retries = retries;
            return this;
        }

        /** The first pause before a retry; it doubles each time (default 200 ms). */
        public Builder backoff(Duration backoff) {
            this.backoff = backoff;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /** The longest one request may take (default 60 s). */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** The longest a generation, a compile or an adapter upload may take (default 10 min). */
        public Builder slowTimeout(Duration slowTimeout) {
            this.slowTimeout = slowTimeout;
            return this;
        }

        public MemosClient build() {
            return new MemosClient(new Transport(url, apiKey, retries, backoff, connectTimeout, timeout), slowTimeout);
        }
    }
}
