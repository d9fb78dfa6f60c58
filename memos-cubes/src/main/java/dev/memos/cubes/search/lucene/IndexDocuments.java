package dev.memos.cubes.search.lucene;

import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.model.TextPayload;
import dev.memos.kernel.search.ContextWindow;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.LongField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;

import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;

/** The fields of the search index, and the document a cube version becomes (what {@link IndexFilter} filters on). */
final class IndexDocuments {
    private IndexDocuments() {
    }

    static final String ID = "id";
    static final String VERSION = "version";
    static final String SPACE = "space";
    static final String TIER = "tier";
    static final String STATE = "state";
    static final String KIND = "kind";
    static final String TAG = "tag";
    static final String SENSITIVITY = "sensitivity";
    static final String PURPOSE = "purpose";
    static final String VALID_FROM = "validFrom";
    static final String VALID_TO = "validTo";
    static final String RECORDED_AT = "recordedAt";
    static final String TEXT = "text";
    static final String VECTOR = "vector";
    static final String CONTEXT = "context";
    static final String CONTEXT_VECTOR = "contextVector";
    /** "1" on an entry whose window vector stands in for the embedding of its window's text, still to come. */
    static final String CONTEXT_PENDING = "contextPending";
    static final Term PENDING = new Term(CONTEXT_PENDING, "1");
    /**
     * "1" on an entry whose window vector is its own vector (a cube without a session): the vector is indexed once,
     * in {@link #VECTOR}, and the context kNN list finds such entries there (half the vectors of an index of
     * session-less cubes).
     */
    static final String CONTEXT_SELF = "contextSelf";
    static final Term SELF = new Term(CONTEXT_SELF, "1");
    /** Stored: the space and session id a cube's window belongs to, split by {@link #SESSION_SPLIT}. */
    static final String SESSION = "session";
    static final char SESSION_SPLIT = '\u0000';
    /** Stored: the cube's data subject as {@link #words} of it, to tell whether a query names it. */
    static final String SUBJECT = "subject";
    private static final java.util.regex.Pattern NOT_A_WORD = java.util.regex.Pattern.compile("[^\\p{L}\\p{N}]+");
    static final String NO_PURPOSE = "\u0000any";
    /** Of both vector fields: the dot product, on unit vectors the cosine ({@code (1 + cos) / 2} as a score). */
    static final VectorSimilarityFunction SIMILARITY = VectorSimilarityFunction.DOT_PRODUCT;

    /** The document of {@code cube}; the vectors have the index's dimension (the caller checked). */
    static Document document(MemCube cube, float[] vector, ContextWindow.Window context) {
        Document doc = new Document();
        doc.add(new StringField(ID, cube.id().toString(), Field.Store.YES));
        doc.add(new StoredField(VERSION, cube.version()));
        doc.add(new StringField(SPACE, cube.space(), Field.Store.NO));
        doc.add(new StringField(TIER, cube.tier().name(), Field.Store.NO));
        doc.add(new StringField(STATE, cube.state().name(), Field.Store.NO));
        if (cube.payload() instanceof TextPayload text) {
            doc.add(new StringField(KIND, text.kind(), Field.Store.NO));
            text.tags().forEach(tag -> doc.add(new StringField(TAG, tag, Field.Store.NO)));
            doc.add(new TextField(TEXT, text.text(), Field.Store.NO));
        }
        cube.governance().sensitivity().forEach(s -> doc.add(new StringField(SENSITIVITY, s, Field.Store.NO)));
        String purpose = cube.governance().purpose();
        doc.add(new StringField(PURPOSE, purpose == null ? NO_PURPOSE : purpose, Field.Store.NO));
        doc.add(new LongField(VALID_FROM, millis(cube.time().validFrom(), Long.MIN_VALUE), Field.Store.NO));
        doc.add(new LongField(VALID_TO, millis(cube.time().validTo(), Long.MAX_VALUE), Field.Store.NO));
        doc.add(new LongField(RECORDED_AT, cube.time().recordedAt().toEpochMilli(), Field.Store.NO));
        if (vector != null) {
            doc.add(new KnnFloatVectorField(VECTOR, vector, SIMILARITY));
        }
        if (context != null) {
            doc.add(new TextField(CONTEXT, context.text(), Field.Store.NO));
            if (vector != null && !context.pending() && Arrays.equals(context.vector(), vector)) {
                doc.add(new StringField(CONTEXT_SELF, SELF.text(), Field.Store.NO));
            } else if (context.vector() != null) {
                doc.add(new KnnFloatVectorField(CONTEXT_VECTOR, context.vector(), SIMILARITY));
            }
            if (context.pending()) {
                doc.add(new StringField(CONTEXT_PENDING, PENDING.text(), Field.Store.NO));
            }
        }
        if (cube.provenance().sessionId() != null) {
            doc.add(new StoredField(SESSION, cube.space() + SESSION_SPLIT + cube.provenance().sessionId()));
        }
        if (cube.governance().subject() != null) {
            doc.add(new StoredField(SUBJECT, words(cube.governance().subject())));
        }
        return doc;
    }

    /** Lower-cased, every run of characters other than letters and digits one space, padded with spaces. */
    static String words(String text) {
        return " " + NOT_A_WORD.matcher(text.toLowerCase(Locale.ROOT)).replaceAll(" ").strip() + " ";
    }

    static long millis(Instant instant, long fallback) {
        return instant == null ? fallback : instant.toEpochMilli();
    }
}
