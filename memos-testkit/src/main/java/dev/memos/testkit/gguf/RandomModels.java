package dev.memos.testkit.gguf;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Random-weight llama-architecture models and LoRA adapters in GGUF, for tests and benchmarks. The vocabulary is
 * a byte-fallback SentencePiece one (every byte, letters, digits, a few words), so any text tokenises.
 */
public final class RandomModels {

    /**
     * The shape of a model.
     *
     * @param name written as {@code general.name}
     * @param embedding hidden width
     * @param layers transformer blocks
     * @param heads attention heads
     * @param kvHeads key/value heads (grouped-query attention)
     * @param feedForward width of the feed-forward layer
     * @param type {@link GgufWriter#F32} or {@link GgufWriter#F16} for the matrices
     * @param seed seeds the weights: the same shape and seed give the same file
     */
    public record Shape(String name, int embedding, int layers, int heads, int kvHeads, int feedForward, int type,
                        long seed) {
        /** 64 wide, 2 layers: loads and answers in milliseconds. */
        public static final Shape TINY = new Shape("memos-tiny-random", 64, 2, 4, 2, 128, GgufWriter.F32, 42);
        /** Qwen2-0.5B's shapes (896 wide, 24 layers, 14 heads, 2 KV heads) with random F16 weights: ~0.7 GB. */
        public static final Shape HALF_B = new Shape("memos-0.5b-shape-random", 896, 24, 14, 2, 4864, GgufWriter.F16, 7);

        public Shape withSeed(long other) {
            return new Shape(name, embedding, layers, heads, kvHeads, feedForward, type, other);
        }

        int headDim() {
            return embedding / heads;
        }
    }

    private RandomModels() {
    }

    public static Path model(Path file, Shape shape) throws IOException {
        List<String> tokens = new ArrayList<>(List.of("<unk>", "<s>", "</s>"));
        List<Float> scores = new ArrayList<>(List.of(0f, 0f, 0f));
        List<Integer> types = new ArrayList<>(List.of(2, 3, 3));
        for (int b = 0; b < 256; b++) {
            tokens.add(String.format("<0x%02X>", b));
            scores.add(0f);
            types.add(6);
        }
        String chars = "▁abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,!?':-";
        for (int i = 0; i < chars.length(); i++) {
            tokens.add(String.valueOf(chars.charAt(i)));
            scores.add(-(float) i);
            types.add(1);
        }
        String[] words = {"▁the", "▁user", "▁memory", "▁likes", "▁is", "▁a", "▁and", "▁to", "▁of", "▁in"};
        for (int i = 0; i < words.length; i++) {
            tokens.add(words[i]);
            scores.add(10f - i);
            types.add(1);
        }
        int vocab = tokens.size();
        int hd = shape.headDim();
        GgufWriter w = new GgufWriter()
                .put("general.architecture", "llama").put("general.name", shape.name())
                .put("general.file_type", shape.type() == GgufWriter.F16 ? 1 : 0)
                .put("llama.context_length", 32768).put("llama.embedding_length", shape.embedding())
                .put("llama.block_count", shape.layers()).put("llama.feed_forward_length", shape.feedForward())
                .put("llama.attention.head_count", shape.heads()).put("llama.attention.head_count_kv", shape.kvHeads())
                .put("llama.rope.dimension_count", hd).put("llama.rope.freq_base", 10000f)
                .put("llama.attention.layer_norm_rms_epsilon", 1e-5f)
                .put("tokenizer.ggml.model", "llama").put("tokenizer.ggml.tokens", tokens)
                .put("tokenizer.ggml.scores", scores).put("tokenizer.ggml.token_type", types.stream().mapToInt(i -> i).toArray())
                .put("tokenizer.ggml.bos_token_id", 1).put("tokenizer.ggml.eos_token_id", 2)
                .put("tokenizer.ggml.unknown_token_id", 0);
        long seed = shape.seed();
        int t = shape.type();
        int e = shape.embedding();
        w.tensor("token_embd.weight", new long[]{e, vocab}, t, GgufWriter.gaussian(seed++, 0.05));
        w.tensor("output_norm.weight", new long[]{e}, GgufWriter.F32, GgufWriter.constant(1));
        w.tensor("output.weight", new long[]{e, vocab}, t, GgufWriter.gaussian(seed++, 0.05));
        for (int i = 0; i < shape.layers(); i++) {
            String p = "blk." + i + ".";
            w.tensor(p + "attn_norm.weight", new long[]{e}, GgufWriter.F32, GgufWriter.constant(1));
            w.tensor(p + "ffn_norm.weight", new long[]{e}, GgufWriter.F32, GgufWriter.constant(1));
            w.tensor(p + "attn_q.weight", new long[]{e, (long) shape.heads() * hd}, t, GgufWriter.gaussian(seed++, 0.05));
            w.tensor(p + "attn_k.weight", new long[]{e, (long) shape.kvHeads() * hd}, t, GgufWriter.gaussian(seed++, 0.05));
            w.tensor(p + "attn_v.weight", new long[]{e, (long) shape.kvHeads() * hd}, t, GgufWriter.gaussian(seed++, 0.05));
            w.tensor(p + "attn_output.weight", new long[]{(long) shape.heads() * hd, e}, t, GgufWriter.gaussian(seed++, 0.05));
            w.tensor(p + "ffn_gate.weight", new long[]{e, shape.feedForward()}, t, GgufWriter.gaussian(seed++, 0.05));
            w.tensor(p + "ffn_up.weight", new long[]{e, shape.feedForward()}, t, GgufWriter.gaussian(seed++, 0.05));
            w.tensor(p + "ffn_down.weight", new long[]{shape.feedForward(), e}, t, GgufWriter.gaussian(seed++, 0.05));
        }
        w.write(file);
        return file;
    }

    /** A LoRA adapter on every layer's attn_q and attn_v of a model of {@code shape}, rank {@code rank}. */
    public static Path lora(Path file, Shape shape, int rank, float alpha, long seed) throws IOException {
        GgufWriter w = new GgufWriter().put("general.architecture", "llama").put("general.type", "adapter")
                .put("adapter.type", "lora").put("adapter.lora.alpha", alpha);
        int hd = shape.headDim();
        for (int i = 0; i < shape.layers(); i++) {
            for (String target : List.of("attn_q", "attn_v")) {
                long out = (target.equals("attn_q") ? shape.heads() : shape.kvHeads()) * (long) hd;
                String n = "blk." + i + "." + target + ".weight";
                w.tensor(n + ".lora_a", new long[]{shape.embedding(), rank}, GgufWriter.F32, GgufWriter.gaussian(seed++, 0.5));
                w.tensor(n + ".lora_b", new long[]{rank, out}, GgufWriter.F32, GgufWriter.gaussian(seed++, 0.5));
            }
        }
        w.write(file);
        return file;
    }
}
