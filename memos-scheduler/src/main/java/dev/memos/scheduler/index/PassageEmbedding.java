package dev.memos.scheduler.index;

import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.model.TextPayload;
import dev.memos.kernel.search.ContextWindow;
import dev.memos.kernel.spi.Embedder;
import dev.memos.kernel.spi.SetAside;
import dev.memos.kernel.spi.Transactions;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The indexer's embedding of passages (cube texts, window texts): in batches, one by one when the embedder refuses
 * a batch, and the bookkeeping of cubes set aside because the embedder refuses their text (indexed for keywords
 * only, listed for an operator, cleared once indexed again).
 */
final class PassageEmbedding {
    private static final Logger LOG = Logger.getLogger(SearchIndexer.class);

    private final Embedder embedder;
    private final SetAside setAside;
    private final Transactions transactions;
    private final Clock clock;
    /** False once the set-aside store was seen empty, so that a batch then clears nothing. */
    private volatile boolean anySetAside = true;

    PassageEmbedding(Embedder embedder, SetAside setAside, Transactions transactions, Clock clock) {
        this.embedder = embedder;
        this.setAside = setAside;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** The cubes set aside, oldest first. */
    List<SetAside.Entry> setAside(int limit) {
        return transactions.inTransaction(() -> setAside.list(limit));
    }

    long setAsideCount() {
        return transactions.inTransaction(setAside::count);
    }

    /** Clears a deleted space's cubes from the set-aside store. */
    void forgetSpace(String space) {
        transactions.inTransaction(() -> {
            setAside.clearSpace(space);
            return null;
        });
    }

    /** Set-aside cubes may exist again (a retry is under way): the next batches clear what they index. */
    void expectSetAside() {
        anySetAside = true;
    }

    /**
     * The vectors of the text cubes of {@code batch}. When the embedder refuses the batch, each text is embedded
     * alone, and a cube whose text it refuses gets no vector and is set aside.
     */
    Map<CubeId, float[]> embed(List<MemCube> batch) {
        List<MemCube> texts = batch.stream().filter(c -> c.payload() instanceof TextPayload).toList();
        Map<CubeId, float[]> vectors = new HashMap<>();
        if (texts.isEmpty()) {
            return vectors;
        }
        try {
            List<float[]> embedded = embedder.embedPassages(texts.stream().map(PassageEmbedding::text).toList());
            for (int i = 0; i < texts.size(); i++) {
                vectors.put(texts.get(i).id(), embedded.get(i));
            }
            return vectors;
        } catch (Embedder.Rejected refused) {
            if (texts.size() == 1) {
                setAside(texts.getFirst(), refused);
                return vectors;
            }
        }
        for (MemCube cube : texts) {
            try {
                vectors.put(cube.id(), embedder.embedPassages(List.of(text(cube))).getFirst());
            } catch (Embedder.Rejected refused) {
                setAside(cube, refused);
            }
        }
        return vectors;
    }

    /** The embeddings of the windows' texts, null for a text the embedder refuses. */
    List<float[]> embedWindows(List<ContextWindow.Window> pending) {
        List<String> texts = pending.stream().map(ContextWindow.Window::text).toList();
        if (texts.isEmpty()) {
            return List.of();
        }
        try {
            return embedder.embedPassages(texts);
        } catch (Embedder.Rejected refused) {
            List<float[]> out = new ArrayList<>();
            for (String text : texts) {
                try {
                    out.add(embedder.embedPassages(List.of(text)).getFirst());
                } catch (Embedder.Rejected alone) {
                    LOG.debugf("the embedder refused a window (%s); its stand-in vector stays", alone.getMessage());
                    out.add(null);
                }
            }
            return out;
        }
    }

    private void setAside(MemCube cube, Embedder.Rejected refused) {
        String reason = "the embedder refused the text (" + refused.getMessage() + "); indexed for keywords only";
        LOG.warnf("cube %s of space %s set aside: %s", cube.id(), cube.space(), reason);
        transactions.inTransaction(() -> {
            setAside.record(cube.id(), cube.space(), reason, clock.instant());
            return null;
        });
        anySetAside = true;
    }

    /** Clears these cubes from the set-aside store, when it may hold any. */
    void forget(Collection<CubeId> ids) {
        if (anySetAside && !ids.isEmpty()) {
            anySetAside = transactions.inTransaction(() -> {
                setAside.clear(ids);
                return setAside.count() > 0;
            });
        }
    }

    private static String text(MemCube cube) {
        return ((TextPayload) cube.payload()).text();
    }
}
