package dev.memos.kernel.spi;

import java.util.List;

/** Turns text into vectors for retrieval. Implemented by the retrieval issue. */
public interface Embedder {
    /** The model name, recorded with every index built from it. */
    String model();

    int dimension();

    /** One L2-normalised vector per passage, in order. */
    List<float[]> embedPassages(List<String> passages);

    float[] embedQuery(String query);
}
