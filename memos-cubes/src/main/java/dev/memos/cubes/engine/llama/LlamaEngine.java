package dev.memos.cubes.engine.llama;

import dev.memos.cubes.engine.gguf.Gguf;
import dev.memos.cubes.engine.gguf.LoraCheck;
import dev.memos.kernel.engine.AdapterInfo;
import dev.memos.kernel.engine.AdapterUse;
import dev.memos.kernel.engine.ContextSettings;
import dev.memos.kernel.engine.Evaluation;
import dev.memos.kernel.engine.Generation;
import dev.memos.kernel.engine.InferenceEngine;
import dev.memos.kernel.engine.KvSnapshot;
import dev.memos.kernel.engine.ModelInfo;
import dev.memos.kernel.engine.Prompt;
import dev.memos.kernel.engine.Sampling;
import dev.memos.kernel.engine.Timings;
import dev.memos.kernel.error.InvalidException;
import dev.memos.kernel.error.UnavailableException;
import dev.memos.kernel.model.Sha256;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The embedded engine: llama.cpp in this process through the FFM API. One model, one context of
 * {@link Settings#contextSize()} tokens holding one sequence; calls take turns on it (a lock), each starting
 * from an empty or a restored KV state, so no request sees another's tokens.
 */
public final class LlamaEngine implements InferenceEngine {
    private static final int SEQ = 0;
    private static final Map<Integer, String> KV_TYPES = Map.of(0, "f32", 1, "f16", 8, "q8_0", 30, "bf16");

    /**
     * @param model the GGUF model file
     * @param contextSize tokens of the context (prefix, prompt and answer together)
     * @param threads CPU threads for evaluation
     * @param batchSize tokens evaluated per decode call
     */
    public record Settings(Path model, int contextSize, int threads, int batchSize) {
        public Settings {
            Objects.requireNonNull(model, "model");
            if (contextSize < 16 || threads < 1 || batchSize < 1) {
                throw new IllegalArgumentException("contextSize ≥ 16, threads ≥ 1 and batchSize ≥ 1; got "
                        + contextSize + ", " + threads + ", " + batchSize);
            }
        }
    }

    private final Llama llama;
    private final Settings settings;
    private final Gguf header;
    private final ModelInfo info;
    private final ContextSettings context;
    private final MemorySegment model;
    private final MemorySegment vocab;
    private final MemorySegment ctx;
    private final MemorySegment memory;
    private final int vocabSize;
    private final Map<String, MemorySegment> adapters = new LinkedHashMap<>();
    private final Map<String, AdapterInfo> adapterInfo = new LinkedHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final LlamaContext calls;
    private boolean closed;

    private LlamaEngine(Llama llama, Settings settings) {
        this.llama = llama;
        this.settings = settings;
        this.header = Gguf.read(settings.model()); // a truncated or foreign file is named here, not in the native log
        String sha256 = fileSha256(settings.model());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mp = (MemorySegment) llama.modelDefaultParams.invokeExact((SegmentAllocator) arena);
            llama.drainProblems();
            model = (MemorySegment) llama.modelLoad.invokeExact(arena.allocateFrom(settings.model().toString()), mp);
            if (model.equals(MemorySegment.NULL)) {
                throw new InvalidException("memos.engine.model", "llama.cpp cannot load " + settings.model() + ": "
                        + llama.drainProblems());
            }
            MemorySegment cp = (MemorySegment) llama.contextDefaultParams.invokeExact((SegmentAllocator) arena);
            cp.set(JAVA_INT, Llama.CTX_N_CTX, settings.contextSize());
            cp.set(JAVA_INT, Llama.CTX_N_BATCH, settings.batchSize());
            cp.set(JAVA_INT, Llama.CTX_N_UBATCH, settings.batchSize());
            cp.set(JAVA_INT, Llama.CTX_N_SEQ_MAX, 1);
            cp.set(JAVA_INT, Llama.CTX_N_THREADS, settings.threads());
            cp.set(JAVA_INT, Llama.CTX_N_THREADS_BATCH, settings.threads());
            cp.set(JAVA_BOOLEAN, Llama.CTX_NO_PERF, false);
            String kvType = KV_TYPES.getOrDefault(cp.get(JAVA_INT, Llama.CTX_TYPE_K), "type" + cp.get(JAVA_INT, Llama.CTX_TYPE_K));
            ctx = (MemorySegment) llama.initFromModel.invokeExact(model, cp);
            if (ctx.equals(MemorySegment.NULL)) {
                llama.modelFree.invokeExact(model);
                throw new UnavailableException("llama.cpp cannot create a context of " + settings.contextSize()
                        + " tokens: " + llama.drainProblems(), null);
            }
            vocab = (MemorySegment) llama.modelGetVocab.invokeExact(model);
            memory = (MemorySegment) llama.getMemory.invokeExact(ctx);
            vocabSize = (int) llama.vocabNTokens.invokeExact(vocab);
            int nCtx = (int) llama.nCtx.invokeExact(ctx);
            context = new ContextSettings(nCtx, kvType);
            info = new ModelInfo(sha256, header.string("general.name").orElse(settings.model().getFileName().toString()),
                    header.string("general.architecture").orElse("unknown"), (int) llama.modelNCtxTrain.invokeExact(model),
                    (int) llama.modelNEmbd.invokeExact(model), (int) llama.modelNLayer.invokeExact(model), vocabSize);
            calls = new LlamaContext(llama, ctx, memory, vocabSize, settings.batchSize(), adapters, info, context);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new UnavailableException("llama.cpp failed while loading " + settings.model() + ": " + e, e);
        }
    }

    /** Loads llama.cpp from {@code libraryDir} (once per process) and the model. */
    public static LlamaEngine open(Path libraryDir, Settings settings) {
        if (!Files.isRegularFile(settings.model())) {
            throw new InvalidException("memos.engine.model", "no model file at " + settings.model());
        }
        return new LlamaEngine(Llama.load(libraryDir), settings);
    }

    @Override
    public ModelInfo model() {
        return info;
    }

    @Override
    public ContextSettings context() {
        return context;
    }

    @Override
    public String description() {
        return "llama.cpp (embedded, " + settings.threads() + " threads)";
    }

    /** The model file's GGUF header (tensor shapes for adapter checks). */
    public Gguf header() {
        return header;
    }

    @Override
    public int[] tokenize(String text, boolean beginning) {
        Objects.requireNonNull(text, "text");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment utf8 = arena.allocateFrom(text);
            int length = (int) utf8.byteSize() - 1;
            int capacity = length + 8;
            MemorySegment out = arena.allocate(JAVA_INT, capacity);
            int n = (int) llama.tokenize.invokeExact(vocab, utf8, length, out, capacity, beginning, false);
            if (n < 0) {
                capacity = -n;
                out = arena.allocate(JAVA_INT, capacity);
                n = (int) llama.tokenize.invokeExact(vocab, utf8, length, out, capacity, beginning, false);
            }
            if (n < 0) {
                throw new InvalidException("text", "cannot tokenize the text (" + n + ")");
            }
            return out.asSlice(0, 4L * n).toArray(JAVA_INT);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw failure("tokenize", e);
        }
    }

    @Override
    public String detokenize(int[] tokens) {
        try (Arena arena = Arena.ofConfined()) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            for (int token : tokens) {
                out.writeBytes(piece(arena, token));
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    private byte[] piece(Arena arena, int token) {
        try {
            MemorySegment buf = arena.allocate(64);
            int n = (int) llama.tokenToPiece.invokeExact(vocab, token, buf, 64, 0, false);
            if (n < 0) {
                buf = arena.allocate(-n);
                n = (int) llama.tokenToPiece.invokeExact(vocab, token, buf, -n, 0, false);
            }
            return n <= 0 ? new byte[0] : buf.asSlice(0, n).toArray(JAVA_BYTE);
        } catch (Throwable e) {
            throw failure("token_to_piece", e);
        }
    }

    @Override
    public AdapterInfo loadAdapter(String sha256, Path file) {
        return locked("adapter_lora_init", arena -> {
            AdapterInfo known = adapterInfo.get(sha256);
            if (known != null) {
                return known;
            }
            String actual = fileSha256(file);
            if (!actual.equals(sha256)) {
                throw new InvalidException("adapter", "the file's SHA-256 is " + actual + ", not " + sha256);
            }
            AdapterInfo checked = LoraCheck.check(header, Gguf.read(file), sha256);
            llama.drainProblems();
            MemorySegment adapter = (MemorySegment) llama.adapterLoraInit.invokeExact(model,
                    arena.allocateFrom(file.toString()));
            if (adapter.equals(MemorySegment.NULL)) {
                throw new InvalidException("adapter", "llama.cpp refused the adapter: " + llama.drainProblems());
            }
            adapters.put(sha256, adapter);
            adapterInfo.put(sha256, checked);
            return checked;
        });
    }

    @Override
    public boolean hasAdapter(String sha256) {
        lock.lock();
        try {
            return adapters.containsKey(sha256);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Snapshot prefill(int[] tokens, List<AdapterUse> with) {
        if (tokens.length == 0) {
            throw new InvalidException("tokens", "nothing to prefill");
        }
        fits(tokens.length, 0);
        return locked("prefill", arena -> {
            long start = System.nanoTime();
            calls.begin(with);
            calls.clear();
            calls.decodeAll(arena, tokens);
            long prefilled = System.nanoTime();
            long size = (long) llama.stateSeqGetSize.invokeExact(ctx, SEQ);
            MemorySegment buf = arena.allocate(size);
            long written = (long) llama.stateSeqGetData.invokeExact(ctx, buf, size, SEQ);
            if (written != size) {
                throw new UnavailableException("llama.cpp wrote " + written + " of " + size + " state bytes", null);
            }
            byte[] state = buf.toArray(JAVA_BYTE);
            calls.end();
            return new Snapshot(new KvSnapshot(state, tokens.clone(), info.sha256(), with, context),
                    new Timings(0, tokens.length, 0, 0, millis(prefilled - start), 0, millis(System.nanoTime() - start)));
        });
    }

    @Override
    public Evaluation evaluate(Prompt prompt) {
        requireTokens(prompt);
        fits(prompt.length(), 0);
        return locked("decode", arena -> {
            Started started = start(arena, prompt);
            calls.end();
            return new Evaluation(started.logits(), new Timings(restored(prompt), prompt.tokens().length, 0,
                    started.restoreMillis(), started.prefillMillis(), 0, millis(System.nanoTime() - started.at())));
        });
    }

    /** A prompt in the context: when the call began, the restore and prefill times, the next-token logits. */
    private record Started(long at, double restoreMillis, double prefillMillis, float[] logits) {
    }

    /** Applies the prompt's adapters, restores its prefix (or clears the context) and evaluates its tokens. */
    private Started start(Arena arena, Prompt prompt) throws Throwable {
        long at = System.nanoTime();
        calls.begin(prompt.adapters());
        double restore = calls.restore(arena, prompt);
        long prefillStart = System.nanoTime();
        calls.decodePrompt(arena, prompt);
        float[] logits = calls.logits();
        return new Started(at, restore, millis(System.nanoTime() - prefillStart), logits);
    }

    @Override
    public Generation generate(Prompt prompt, Sampling sampling, String grammar, Consumer<String> onText) {
        requireTokens(prompt);
        fits(prompt.length(), 1);
        Consumer<String> sink = onText == null ? text -> { } : onText;
        return locked("generate", arena -> {
            try (GrammarSampler constraint = grammar == null ? null
                    : new GrammarSampler(llama, vocab, vocabSize, arena, grammar)) {
                Started started = start(arena, prompt);
                float[] logits = started.logits();
                Sampler sampler = new Sampler(sampling);
                TextStream text = new TextStream(sampling.stop(), sink);
                Generation.Finish finish = Generation.Finish.LENGTH;
                double firstToken = 0;
                int generated = 0;
                int position = prompt.length();
                MemorySegment one = arena.allocate(JAVA_INT);
                while (generated < sampling.maxTokens() && position < context.contextSize()) {
                    if (constraint != null) {
                        constraint.constrain(logits);
                    }
                    int token = sampler.pick(logits);
                    if (generated == 0) {
                        firstToken = millis(System.nanoTime() - started.at());
                    }
                    if (token < 0 || (boolean) llama.vocabIsEog.invokeExact(vocab, token)) {
                        finish = Generation.Finish.STOP;
                        break;
                    }
                    if (constraint != null) {
                        constraint.accept(token);
                    }
                    generated++;
                    if (text.add(piece(arena, token))) {
                        finish = Generation.Finish.STOP;
                        break;
                    }
                    one.set(JAVA_INT, 0, token);
                    calls.decode(arena, one, 1);
                    position++;
                    logits = calls.logits();
                }
                String answer = text.finish();
                calls.end();
                return new Generation(answer, finish, new Timings(restored(prompt), prompt.tokens().length, generated,
                        started.restoreMillis(), started.prefillMillis(), firstToken,
                        millis(System.nanoTime() - started.at())));
            }
        });
    }

    /** Work on the context, which one call at a time may use. */
    @FunctionalInterface
    private interface NativeWork<T> {
        T run(Arena arena) throws Throwable;
    }

    /** Runs {@code work} holding the context, with a confined arena; a native failure names {@code function}. */
    private <T> T locked(String function, NativeWork<T> work) {
        lock.lock();
        try (Arena arena = Arena.ofConfined()) {
            open();
            return work.run(arena);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw failure(function, e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Prompt tokens llama.cpp itself counted as evaluated in the last call: its performance counter of tokens
     * decoded in batches of two or more (it reports at least 1).
     */
    int libraryPromptTokens() {
        return calls.libraryEvaluated();
    }

    private void fits(int promptTokens, int room) {
        if (promptTokens + room > context.contextSize()) {
            throw new InvalidException("prompt", "the prompt is " + promptTokens + " tokens; the context holds "
                    + context.contextSize() + (room > 0 ? " including at least " + room + " for the answer" : ""));
        }
    }

    private static void requireTokens(Prompt prompt) {
        if (prompt.tokens().length == 0) {
            throw new InvalidException("prompt", "at least one token must follow the restored prefix");
        }
    }

    private static int restored(Prompt prompt) {
        return prompt.prefix() == null ? 0 : prompt.prefix().tokens().length;
    }

    private void open() {
        if (closed) {
            throw new UnavailableException("the inference engine is closed", null);
        }
    }

    private UnavailableException failure(String function, Throwable e) {
        return new UnavailableException("llama_" + function + " failed: " + e, e);
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }

    private static String fileSha256(Path file) {
        try {
            return Sha256.of(file);
        } catch (java.io.UncheckedIOException e) {
            throw new InvalidException("file", e.getMessage());
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (MemorySegment adapter : adapters.values()) {
                llama.adapterLoraFree.invokeExact(adapter);
            }
            adapters.clear();
            llama.free.invokeExact(ctx);
            llama.modelFree.invokeExact(model);
        } catch (Throwable e) {
            throw failure("free", e);
        } finally {
            lock.unlock();
        }
    }
}
