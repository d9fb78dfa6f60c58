package dev.memos.cubes.bench;

import dev.memos.cubes.engine.llama.LlamaEngine;
import dev.memos.cubes.engine.llama.LlamaNatives;
import dev.memos.kernel.engine.ActivationBlob;
import dev.memos.kernel.engine.AdapterUse;
import dev.memos.kernel.engine.Generation;
import dev.memos.kernel.engine.InferenceEngine;
import dev.memos.kernel.engine.KvSnapshot;
import dev.memos.kernel.engine.MemoryPrompt;
import dev.memos.kernel.engine.Prompt;
import dev.memos.kernel.engine.Sampling;
import dev.memos.testkit.gguf.RandomModels;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The activation and parameter tiers on the embedded engine, with a generated model of a real ~0.5B model's shapes
 * (Qwen2-0.5B: 896 wide, 24 layers, 14 heads, 2 KV heads, F16, random weights: the speed of a model does not depend
 * on what its weights say). For prefixes of 512, 1,024 and 2,048 tokens: time to first token cold (prefill the
 * memory block and the question) and restored (restore the block's KV state, prefill the question); state size;
 * restore time; a short answer with and without the restored state; adapter load and apply. Run with
 * {@code ./memos bench-engine [threads]}; figures in docs/benchmarks.md.
 */
public final class EngineBench {
    private static final String QUESTION = "What does the user like to drink, and what is the user allergic to?";

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : Runtime.getRuntime().availableProcessors();
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path dir = Path.of(System.getProperty("bench.dir", "target/bench-engine"));
        Files.createDirectories(dir);
        Path model = dir.resolve("memos-0.5b-shape-random.gguf");
        if (!Files.exists(model)) {
            System.out.println("generating a random F16 model with Qwen2-0.5B's shapes (~0.7 GB, once) in " + model);
            long t = System.nanoTime();
            RandomModels.model(model, RandomModels.Shape.HALF_B);
            System.out.printf("  written in %.1f s%n", (System.nanoTime() - t) / 1e9);
        }
        Path lora = RandomModels.lora(dir.resolve("lora-r8.gguf"), RandomModels.Shape.HALF_B, 8, 16f, 3);
        Path libraries = LlamaNatives.directory(Optional.empty(), dir.resolve("native"));
        long load = System.nanoTime();
        try (LlamaEngine engine = LlamaEngine.open(libraries, new LlamaEngine.Settings(model, 4096, threads, 512))) {
            System.out.printf("machine: %d cores, %s; engine: %s; model %s loaded (with its SHA-256) in %.1f s%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), engine.description(),
                    engine.model().label(), (System.nanoTime() - load) / 1e9);
            int[] question = engine.tokenize(MemoryPrompt.suffix(List.of(),
                    List.of(new MemoryPrompt.Turn("user", QUESTION))), false);
            engine.evaluate(new Prompt(null, question, List.of())); // warm-up: first decode pays one-off costs
            System.out.printf("%nquestion: %d tokens; %d runs each, medians%n", question.length, repeats);
            System.out.printf("%8s %12s %14s %8s %12s %12s %10s%n", "prefix", "cold TTFT ms", "restored TTFT ms",
                    "ratio", "restore ms", "state MB", "MB/1k tok");
            for (int size : new int[]{512, 1024, 2048}) {
                int[] prefix = prefix(engine, size);
                Sampling one = new Sampling(0, 1, 0, 1, List.of());
                List<Double> cold = new ArrayList<>();
                List<Double> warm = new ArrayList<>();
                List<Double> restore = new ArrayList<>();
                KvSnapshot kv = null;
                for (int i = 0; i < repeats; i++) {
                    cold.add(engine.generate(new Prompt(null, concat(prefix, question), List.of()), one, null, null)
                            .timings().firstTokenMillis());
                    if (kv == null) {
                        kv = ActivationBlob.decode(ActivationBlob.encode(engine.prefill(prefix, List.of()).kv()));
                    }
                    Generation g = engine.generate(new Prompt(kv, question, List.of()), one, null, null);
                    warm.add(g.timings().firstTokenMillis());
                    restore.add(g.timings().restoreMillis());
                }
                double mb = kv.state().length / 1e6;
                System.out.printf("%8d %12.0f %14.0f %8.1f %12.1f %12.1f %10.2f%n", size, median(cold), median(warm),
                        median(cold) / median(warm), median(restore), mb, mb * 1000 / size);
            }

            int[] prefix = prefix(engine, 1024);
            KvSnapshot kv = engine.prefill(prefix, List.of()).kv();
            Sampling answer = new Sampling(0, 1, 0, 32, List.of());
            double withActivation = median(List.of(
                    engine.generate(new Prompt(kv, question, List.of()), answer, null, null).timings().totalMillis(),
                    engine.generate(new Prompt(kv, question, List.of()), answer, null, null).timings().totalMillis()));
            double without = median(List.of(
                    engine.generate(new Prompt(null, concat(prefix, question), List.of()), answer, null, null)
                            .timings().totalMillis(),
                    engine.generate(new Prompt(null, concat(prefix, question), List.of()), answer, null, null)
                            .timings().totalMillis()));
            System.out.printf("%nchat, 1,024-token memory block, 32 tokens answered: %.0f ms without activation, "
                    + "%.0f ms with (%.1fx)%n", without, withActivation, without / withActivation);

            long t0 = System.nanoTime();
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(lora)));
            engine.loadAdapter(sha, lora);
            double loadMs = (System.nanoTime() - t0) / 1e6;
            int[] shortPrompt = concat(prefix(engine, 128), question);
            double base = median(times(engine, shortPrompt, List.of()));
            double adapted = median(times(engine, shortPrompt, List.of(new AdapterUse(sha, 1f))));
            System.out.printf("adapter rank 8 on attn_q/attn_v of 24 layers (%.1f MB): validated and loaded in %.0f ms; "
                    + "a %d-token prompt evaluates in %.0f ms base, %.0f ms with the adapter applied%n",
                    Files.size(lora) / 1e6, loadMs, shortPrompt.length, base, adapted);
        }
    }

    private static List<Double> times(InferenceEngine engine, int[] prompt, List<AdapterUse> adapters) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            out.add(engine.evaluate(new Prompt(null, prompt, adapters)).timings().totalMillis());
        }
        return out;
    }

    /** A memory block of exactly {@code size} tokens: facts, repeated, cut to length. */
    private static int[] prefix(InferenceEngine engine, int size) {
        List<String> facts = new ArrayList<>();
        for (int i = 0; facts.size() < size; i++) {
            facts.add("fact " + i + ": the user likes green tea, is allergic to peanuts and lives in Oslo.");
        }
        int[] tokens = engine.tokenize(MemoryPrompt.prefix(facts), true);
        return Arrays.copyOf(tokens, size);
    }

    private static int[] concat(int[] a, int[] b) {
        int[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
