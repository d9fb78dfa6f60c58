package dev.memos.cubes.embed.onnx;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.memos.cubes.embed.Vectors;
import dev.memos.kernel.error.UnavailableException;
import dev.memos.kernel.spi.Embedder;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A local sentence-embedding model run by ONNX Runtime, its weights and tokenizer read from the
 * classpath (a Maven Central jar). Passages are embedded in true batches (one ONNX call per batch,
 * padded to the batch's longest text); outputs are CLS-pooled and L2-normalised. ONNX Runtime's
 * thread spinning is off: on a shared 2-core machine it would burn the other requests' CPU.
 */
public final class OnnxEmbedder implements Embedder, AutoCloseable {
    /** bge-small-en-v1.5, int8-quantised: 384 dimensions, CLS pooling. */
    public static final String BGE_SMALL = "bge-small-en-v1.5-q";
    public static final String BGE_QUERY_PREFIX = "Represent this sentence for searching relevant passages: ";

    private static final int MAX_TOKENS = 512;
    private static final int BATCH = 32;

    private final String model;
    private final String queryPrefix;
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final boolean needsTypeIds;
    private final int dimension;

    private OnnxEmbedder(String model, String queryPrefix, int threads) {
        this.model = model;
        this.queryPrefix = Objects.requireNonNullElse(queryPrefix, "");
        environment = OnnxNatives.environment();
        ModelPrefetch.Prefetched prefetched = ModelPrefetch.take(model);
        // the session holds the model's weights in native memory and the tokenizer a native handle: a load that
        // fails half way closes what it had opened
        OrtSession opened = null;
        HuggingFaceTokenizer parsed = prefetched != null ? prefetched.tokenizer() : null;
        try {
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            options.addConfigEntry("session.inter_op.allow_spinning", "0");
            opened = environment.createSession(prefetched != null ? prefetched.weights() : resource(model + ".onnx"),
                    options);
            if (parsed == null) {
                parsed = tokenizer(model);
            }
            session = opened;
            tokenizer = parsed;
            needsTypeIds = session.getInputNames().contains("token_type_ids");
            dimension = run(List.of("dimension probe")).getFirst().length;
        } catch (OrtException e) {
            release(opened, parsed, e);
            throw new IllegalStateException("cannot load the embedding model " + model, e);
        } catch (IOException e) {
            release(opened, parsed, e);
            throw new UncheckedIOException("cannot read the embedding model or tokenizer of " + model, e);
        } catch (RuntimeException e) {
            release(opened, parsed, e);
            throw e;
        }
    }

    private static void release(OrtSession session, HuggingFaceTokenizer tokenizer, Exception failure) {
        if (session != null) {
            try {
                session.close();
            } catch (OrtException | RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
        if (tokenizer != null) {
            tokenizer.close();
        }
    }

    /**
     * Loads a model shipped on the classpath as {@code <model>.onnx} and {@code <model>-tokenizer.json}.
     *
     * @param queryPrefix prepended to queries (bge models expect an instruction), may be empty
     * @param threads ONNX Runtime intra-op threads
     */
    public static OnnxEmbedder load(String model, String queryPrefix, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        return new OnnxEmbedder(model, queryPrefix, threads);
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    /**
     * Batches texts of similar length together (less padding: faster, and closer to embedding each
     * alone; the quantised model scales activations per batch, so padding moves vectors slightly,
     * cosine ≥ 0.99 to the unbatched vector).
     */
    @Override
    public List<float[]> embedPassages(List<String> passages) {
        Integer[] order = new Integer[passages.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, java.util.Comparator.comparingInt(i -> passages.get(i).length()));
        float[][] out = new float[passages.size()][];
        for (int from = 0; from < order.length; from += BATCH) {
            int to = Math.min(order.length, from + BATCH);
            List<String> batch = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                batch.add(passages.get(order[i]));
            }
            List<float[]> vectors = embed(batch);
            for (int i = from; i < to; i++) {
                out[order[i]] = vectors.get(i - from);
            }
        }
        return List.of(out);
    }

    @Override
    public float[] embedQuery(String query) {
        return embed(List.of(queryPrefix + query)).getFirst();
    }

    private List<float[]> embed(List<String> texts) {
        try {
            return run(texts);
        } catch (OrtException e) {
            throw new UnavailableException("the embedding model failed", e);
        }
    }

    private List<float[]> run(List<String> texts) throws OrtException {
        List<Encoding> encodings = new ArrayList<>(texts.size());
        int longest = 1;
        for (String text : texts) {
            Encoding encoding = tokenizer.encode(text);
            encodings.add(encoding);
            longest = Math.max(longest, encoding.getIds().length);
        }
        long[][] ids = new long[texts.size()][longest];
        long[][] mask = new long[texts.size()][longest];
        long[][] types = new long[texts.size()][longest];
        for (int i = 0; i < encodings.size(); i++) {
            long[] tokenIds = encodings.get(i).getIds();
            long[] attention = encodings.get(i).getAttentionMask();
            System.arraycopy(tokenIds, 0, ids[i], 0, tokenIds.length);
            System.arraycopy(attention, 0, mask[i], 0, attention.length);
        }
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(environment, ids));
            inputs.put("attention_mask", OnnxTensor.createTensor(environment, mask));
            if (needsTypeIds) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(environment, types));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                float[][][] hidden = (float[][][]) result.get(0).getValue();
                List<float[]> vectors = new ArrayList<>(hidden.length);
                for (float[][] sequence : hidden) {
                    vectors.add(Vectors.normalize(sequence[0].clone()));
                }
                return vectors;
            }
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    static HuggingFaceTokenizer tokenizer(String model) throws IOException {
        Map<String, String> options = Map.of("padding", "false", "truncation", "true",
                "maxLength", Integer.toString(MAX_TOKENS), "modelMaxLength", Integer.toString(MAX_TOKENS));
        try (InputStream json = stream(model + "-tokenizer.json")) {
            return HuggingFaceTokenizer.newInstance(json, options);
        }
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = stream(name)) {
            return in.readAllBytes();
        }
    }

    private static InputStream stream(String name) throws IOException {
        InputStream in = OnnxEmbedder.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IOException(name + " is not on the classpath (the model jar is missing)");
        }
        return in;
    }

    @Override
    public void close() throws OrtException {
        session.close();
        tokenizer.close();
    }
}
