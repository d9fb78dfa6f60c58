package dev.memos.cubes.engine.llama;

import dev.memos.kernel.engine.AdapterUse;
import dev.memos.kernel.engine.ContextSettings;
import dev.memos.kernel.engine.KvSnapshot;
import dev.memos.kernel.engine.ModelInfo;
import dev.memos.kernel.engine.Prompt;
import dev.memos.kernel.error.InvalidException;
import dev.memos.kernel.error.UnavailableException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.util.List;
import java.util.Map;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The calls {@link LlamaEngine} makes on its one llama.cpp context while it holds the context's lock: adapters,
 * clearing and restoring the KV state, decoding in batches, the next-token logits, the performance counters.
 */
final class LlamaContext {
    private static final int SEQ = 0;

    private final Llama llama;
    private final MemorySegment ctx;
    private final MemorySegment memory;
    private final int vocabSize;
    private final int batchSize;
    private final Map<String, MemorySegment> adapters;
    private final ModelInfo info;
    private final ContextSettings context;
    private int libraryEvaluated;

    LlamaContext(Llama llama, MemorySegment ctx, MemorySegment memory, int vocabSize, int batchSize,
                 Map<String, MemorySegment> adapters, ModelInfo info, ContextSettings context) {
        this.llama = llama;
        this.ctx = ctx;
        this.memory = memory;
        this.vocabSize = vocabSize;
        this.batchSize = batchSize;
        this.adapters = adapters;
        this.info = info;
        this.context = context;
    }

    /** Prompt tokens llama.cpp counted as evaluated in the last call (see {@link LlamaEngine#libraryPromptTokens}). */
    int libraryEvaluated() {
        return libraryEvaluated;
    }

    void begin(List<AdapterUse> with) throws Throwable {
        llama.perfContextReset.invokeExact(ctx);
        applyAdapters(with);
    }

    void end() throws Throwable {
        MemorySegment perf = (MemorySegment) llama.perfContext.invokeExact((SegmentAllocator) Arena.ofAuto(), ctx);
        libraryEvaluated = perf.get(JAVA_INT, 32); // n_p_eval; n_eval (single-token decodes) is at offset 36
    }

    void applyAdapters(List<AdapterUse> with) throws Throwable {
        if (with.isEmpty()) {
            int rc = (int) llama.setAdaptersLora.invokeExact(ctx, MemorySegment.NULL, 0L, MemorySegment.NULL);
            check(rc, "set_adapters_lora");
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pointers = arena.allocate(ADDRESS, with.size());
            MemorySegment scales = arena.allocate(JAVA_FLOAT, with.size());
            for (int i = 0; i < with.size(); i++) {
                MemorySegment adapter = adapters.get(with.get(i).sha256());
                if (adapter == null) {
                    throw new InvalidException("adapters", "adapter " + with.get(i).sha256() + " is not loaded");
                }
                pointers.setAtIndex(ADDRESS, i, adapter);
                scales.setAtIndex(JAVA_FLOAT, i, with.get(i).scale());
            }
            int rc = (int) llama.setAdaptersLora.invokeExact(ctx, pointers, (long) with.size(), scales);
            check(rc, "set_adapters_lora");
        }
    }

    /** Empties the context, then restores the prompt's prefix if it has one; the restore time in ms. */
    double restore(Arena arena, Prompt prompt) throws Throwable {
        clear();
        KvSnapshot prefix = prompt.prefix();
        if (prefix == null) {
            return 0;
        }
        String why = prefix.incompatibility(info, context, prompt.adapters()).orElse(null);
        if (why != null) {
            throw new InvalidException("prefix", "the KV snapshot cannot be restored here: " + why);
        }
        long start = System.nanoTime();
        MemorySegment state = arena.allocate(prefix.state().length);
        MemorySegment.copy(prefix.state(), 0, state, JAVA_BYTE, 0, prefix.state().length);
        long read = (long) llama.stateSeqSetData.invokeExact(ctx, state, (long) prefix.state().length, SEQ);
        if (read != prefix.state().length) {
            clear();
            throw new InvalidException("prefix", "llama.cpp could not restore the KV snapshot (read " + read + " of "
                    + prefix.state().length + " bytes): " + llama.drainProblems());
        }
        return (System.nanoTime() - start) / 1e6;
    }

    void clear() throws Throwable {
        llama.memoryClear.invokeExact(memory, true);
    }

    /** The prompt's tokens, its memory block first on its own when it has one. */
    void decodePrompt(Arena arena, Prompt prompt) throws Throwable {
        int[] tokens = prompt.tokens();
        if (prompt.block() > 0 && prompt.block() < tokens.length) {
            decodeAll(arena, java.util.Arrays.copyOfRange(tokens, 0, prompt.block()));
            decodeAll(arena, java.util.Arrays.copyOfRange(tokens, prompt.block(), tokens.length));
        } else {
            decodeAll(arena, tokens);
        }
    }

    void decodeAll(Arena arena, int[] tokens) throws Throwable {
        for (int from = 0; from < tokens.length; from += batchSize) {
            int n = Math.min(batchSize, tokens.length - from);
            MemorySegment chunk = arena.allocate(JAVA_INT, n);
            MemorySegment.copy(tokens, from, chunk, JAVA_INT, 0, n);
            decode(arena, chunk, n);
        }
    }

    void decode(Arena arena, MemorySegment tokens, int n) throws Throwable {
        MemorySegment batch = (MemorySegment) llama.batchGetOne.invokeExact((SegmentAllocator) arena, tokens, n);
        int rc = (int) llama.decode.invokeExact(ctx, batch);
        if (rc != 0) {
            throw new UnavailableException("llama_decode returned " + rc + ": " + llama.drainProblems(), null);
        }
    }

    float[] logits() throws Throwable {
        MemorySegment logits = (MemorySegment) llama.getLogitsIth.invokeExact(ctx, -1);
        if (logits.equals(MemorySegment.NULL)) {
            throw new UnavailableException("llama.cpp returned no logits", null);
        }
        return logits.reinterpret(4L * vocabSize).toArray(JAVA_FLOAT);
    }

    void check(int rc, String function) {
        if (rc != 0) {
            throw new UnavailableException("llama_" + function + " returned " + rc + ": " + llama.drainProblems(), null);
        }
    }
}
