package dev.memos.langchain4j;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.ContentMetadata;
import dev.langchain4j.rag.content.retriever.ContentRetriever;
import dev.langchain4j.rag.query.Query;
import dev.memos.client.MemosClient;
import dev.memos.client.model.Cube;
import dev.memos.client.model.Search;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A LangChain4j {@link ContentRetriever} on memos' hybrid search: the query's text is searched in one space (or
 * every space the key may read), with filters, at most {@code maxResults} memories scoring at least
 * {@code minScore}. Each content is the memory's text; its metadata names the cube ({@code id}, {@code space},
 * {@code kind}, {@code version}, {@code recordedAt}), and its {@link ContentMetadata#SCORE} is memos' fused score.
 */
public final class MemosContentRetriever implements ContentRetriever {
    private final MemosClient memos;
    private final String space;
    private final int maxResults;
    private final double minScore;
    private final Search.Filters filters;
    private final boolean readYourWrites;

    private MemosContentRetriever(Builder b) {
        this.memos = Objects.requireNonNull(b.memos, "memos");
        this.space = b.space;
        this.maxResults = b.maxResults;
        this.minScore = b.minScore;
        this.filters = b.filters;
        this.readYourWrites = b.readYourWrites;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public List<Content> retrieve(Query query) {
        Search.Request request = Search.Request.of(query.text()).k(maxResults).filters(filters);
        if (readYourWrites) {
            request = request.readYourWrites();
        }
        Search.Result result = space == null ? memos.search(request) : memos.search(space, request);
        return result.hits().stream().filter(h -> h.score() >= minScore && h.cube().text() != null)
                .map(MemosContentRetriever::content).toList();
    }

    private static Content content(Search.Hit hit) {
        Cube cube = hit.cube();
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("id", cube.id());
        meta.put("space", cube.space());
        meta.put("version", cube.version());
        if (cube.kind() != null) {
            meta.put("kind", cube.kind());
        }
        if (cube.time() != null && cube.time().recordedAt() != null) {
            meta.put("recordedAt", cube.time().recordedAt().toString());
        }
        return Content.from(TextSegment.from(cube.text(), Metadata.from(meta)),
                Map.of(ContentMetadata.SCORE, hit.score(), ContentMetadata.EMBEDDING_ID, cube.id()));
    }

    public static final class Builder {
        private MemosClient memos;
        private String space;
        private int maxResults = 5;
        private double minScore;
        private Search.Filters filters;
        private boolean readYourWrites;

        public Builder client(MemosClient memos) {
            this.memos = memos;
            return this;
        }

        /** The space to search; null (the default): every space the key may read. */
        public Builder space(String space) {
            this.space = space;
            return this;
        }

        /** At most this many memories (default 5; memos answers at most 100). */
        public Builder maxResults(int maxResults) {
            if (maxResults < 1 || maxResults > 100) {
                throw new IllegalArgumentException("maxResults must be 1 … 100, was " + maxResults);
            }
            this.maxResults = maxResults;
            return this;
        }

        /** Leave out memories scoring below this (memos' fused score; default 0: keep all). */
        public Builder minScore(double minScore) {
            this.minScore = minScore;
            return this;
        }

        /** Kinds, tags, validity, purpose and other filters, as memos search takes them. */
        public Builder filters(Search.Filters filters) {
            this.filters = filters;
            return this;
        }

        /** Wait until the key's own recent writes are searchable before each search. */
        public Builder readYourWrites(boolean readYourWrites) {
            this.readYourWrites = readYourWrites;
            return this;
        }

        public MemosContentRetriever build() {
            return new MemosContentRetriever(this);
        }
    }
}
