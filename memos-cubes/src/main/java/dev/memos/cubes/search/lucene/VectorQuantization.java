package dev.memos.cubes.search.lucene;

import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.FileSwitchDirectory;
import org.apache.lucene.store.NIOFSDirectory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * How the embedded index keeps vectors for its HNSW search. The full 32-bit vectors are always kept (a cube's
 * vector is read back exactly, and merges quantize afresh); quantized, the graph is built and walked over a byte
 * (or half-byte) copy of each vector, so a search reads a quarter (an eighth) of the vector bytes it would read
 * otherwise, which is what the index's share of the service's memory follows. The graph's scores are approximate, so
 * the beam a search explores is scored again with the full vectors: hits carry exact scores in exact order;
 * docs/benchmarks.md has the recall measured with each.
 * Segments written with one setting stay readable after a change: each segment records its own format.
 */
public enum VectorQuantization {
    /** 32-bit floats throughout (Lucene's default format). */
    none,
    /** Each dimension in 7 bits, scaled per segment to its values' range (Lucene's scalar quantization). */
    int7,
    /** Each dimension in 4 bits, two to a byte. */
    int4;

    /** Lucene's graph defaults: 16 neighbours a node, 100 candidates while building. */
    private static final int MAX_CONNECTIONS = 16;
    private static final int BEAM_WIDTH = 100;

    /** Whether the graph's scores are approximate, to be scored again with the full vectors. */
    boolean approximate() {
        return this != none;
    }

    /**
     * The index's directory. Files are mapped into memory (Lucene's default), except, where the graph is walked
     * over quantized vectors, the full vectors ({@code .vec}): they are read (rescoring a search's beam, reading
     * one cube's vector, merging) through the operating system's page cache instead, so that they do not stay
     * mapped in the service's memory.
     */
    Directory directory(Path path) throws IOException {
        if (!approximate()) {
            return FSDirectory.open(path);
        }
        return new FileSwitchDirectory(Set.of("vec"), new NIOFSDirectory(path), FSDirectory.open(path), true);
    }

    KnnVectorsFormat format() {
        return switch (this) {
            case none -> new Lucene99HnswVectorsFormat(MAX_CONNECTIONS, BEAM_WIDTH);
            case int7 -> new Lucene99HnswScalarQuantizedVectorsFormat(MAX_CONNECTIONS, BEAM_WIDTH, 1, 7, false, null, null);
            case int4 -> new Lucene99HnswScalarQuantizedVectorsFormat(MAX_CONNECTIONS, BEAM_WIDTH, 1, 4, true, null, null);
        };
    }
}
