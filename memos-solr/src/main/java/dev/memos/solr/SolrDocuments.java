package dev.memos.solr;

import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.model.TextPayload;
import dev.memos.kernel.search.ContextWindow;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.solr.common.SolrInputDocument;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The fields of memos' Solr schema ({@code config/solr/memos/schema.xml}), the document a cube version becomes, and
 * the English analysis memos does on its side: query words, and document lengths for BM25.
 */
final class SolrDocuments {
    private SolrDocuments() {
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
    static final String CONTEXT = "context";
    static final String VECTOR = "vector";
    static final String CONTEXT_VECTOR = "contextVector";
    /**
     * The state of a cube's window: {@link #PENDING} while its vector stands in, {@link #SELF} when the window is the
     * cube alone (no session) and its vector the cube's own: then only {@link #VECTOR} holds it, and the window-vector
     * list finds such entries there (half the vectors of an index of session-less cubes). One field for both, the
     * schema's {@code contextPending}, so collections built before need no new field.
     */
    static final String CONTEXT_STATE = "contextPending";
    static final String PENDING = "1";
    static final String SELF = "self";
    static final String SESSION = "session";
    static final char SESSION_SPLIT = '\u0000';
    static final String SUBJECT = "subject";

    /** The field holding the analysed length of a text field. */
    static String length(String field) {
        return field + "Length";
    }

    private static final Analyzer ENGLISH = new EnglishAnalyzer();
    private static final java.util.regex.Pattern NOT_A_WORD = java.util.regex.Pattern.compile("[^\\p{L}\\p{N}]+");

    static SolrInputDocument document(MemCube cube, float[] vector, ContextWindow.Window context) {
        SolrInputDocument doc = new SolrInputDocument();
        doc.addField(ID, cube.id().toString());
        doc.addField(VERSION, cube.version());
        doc.addField(SPACE, cube.space());
        doc.addField(TIER, cube.tier().name());
        doc.addField(STATE, cube.state().name());
        if (cube.payload() instanceof TextPayload text) {
            doc.addField(KIND, text.kind());
            text.tags().forEach(tag -> doc.addField(TAG, tag));
            doc.addField(TEXT, text.text());
            doc.addField(length(TEXT), terms(text.text()).size());
        }
        cube.governance().sensitivity().forEach(s -> doc.addField(SENSITIVITY, s));
        if (cube.governance().purpose() != null) {
            doc.addField(PURPOSE, cube.governance().purpose());
        }
        doc.addField(VALID_FROM, millis(cube.time().validFrom(), Long.MIN_VALUE));
        doc.addField(VALID_TO, millis(cube.time().validTo(), Long.MAX_VALUE));
        doc.addField(RECORDED_AT, cube.time().recordedAt().toEpochMilli());
        if (vector != null) {
            doc.addField(VECTOR, floats(vector));
        }
        if (context != null) {
            doc.addField(CONTEXT, context.text());
            doc.addField(length(CONTEXT), terms(context.text()).size());
            if (vector != null && !context.pending() && java.util.Arrays.equals(context.vector(), vector)) {
                doc.addField(CONTEXT_STATE, SELF);
            } else if (context.vector() != null) {
                doc.addField(CONTEXT_VECTOR, floats(context.vector()));
            }
            if (context.pending()) {
                doc.addField(CONTEXT_STATE, PENDING);
            }
        }
        if (cube.provenance().sessionId() != null) {
            doc.addField(SESSION, cube.space() + SESSION_SPLIT + cube.provenance().sessionId());
        }
        if (cube.governance().subject() != null) {
            doc.addField(SUBJECT, words(cube.governance().subject()));
        }
        return doc;
    }

    private static List<Float> floats(float[] vector) {
        List<Float> out = new ArrayList<>(vector.length);
        for (float x : vector) {
            out.add(x);
        }
        return out;
    }

    /** The terms Lucene's EnglishAnalyzer makes of {@code text}, in order, repeats kept (the schema's text_en). */
    static List<String> terms(String text) {
        List<String> out = new ArrayList<>();
        try (TokenStream tokens = ENGLISH.tokenStream(TEXT, text)) {
            CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
            tokens.reset();
            while (tokens.incrementToken()) {
                out.add(term.toString());
            }
            tokens.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Lower-cased, every run of characters other than letters and digits one space, padded with spaces. */
    static String words(String text) {
        return " " + NOT_A_WORD.matcher(text.toLowerCase(Locale.ROOT)).replaceAll(" ").strip() + " ";
    }

    static long millis(Instant instant, long fallback) {
        return instant == null ? fallback : instant.toEpochMilli();
    }
}
