package dev.memos.cubes.engine.llama;

import dev.memos.kernel.error.InvalidException;
import dev.memos.kernel.error.UnavailableException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** A GBNF grammar sampler that sets the logits of tokens the grammar forbids to negative infinity. */
final class GrammarSampler implements AutoCloseable {
    private final MemorySegment sampler;
    private final MemorySegment data;
    private final MemorySegment array;

    private final Llama llama;
    private final int vocabSize;

    GrammarSampler(Llama llama, MemorySegment vocab, int vocabSize, Arena arena, String gbnf) throws Throwable {
        this.llama = llama;
        this.vocabSize = vocabSize;
        llama.drainProblems();
        sampler = (MemorySegment) llama.samplerInitGrammar.invokeExact(vocab, arena.allocateFrom(gbnf),
                arena.allocateFrom("root"));
        if (sampler.equals(MemorySegment.NULL)) {
            throw new InvalidException("grammar", "the grammar does not parse: " + llama.drainProblems());
        }
        data = arena.allocate(Llama.TOKEN_DATA_BYTES * vocabSize, 4);
        array = arena.allocate(Llama.TOKEN_DATA_ARRAY);
    }

    void constrain(float[] logits) throws Throwable {
        for (int i = 0; i < vocabSize; i++) {
            long at = Llama.TOKEN_DATA_BYTES * i;
            data.set(JAVA_INT, at, i);
            data.set(JAVA_FLOAT, at + 4, logits[i]);
            data.set(JAVA_FLOAT, at + 8, 0f);
        }
        array.set(ADDRESS, 0, data);
        array.set(JAVA_LONG, 8, vocabSize);
        array.set(JAVA_LONG, 16, -1L);
        array.set(JAVA_BOOLEAN, 24, false);
        llama.samplerApply.invokeExact(sampler, array);
        MemorySegment out = array.get(ADDRESS, 0).reinterpret(Llama.TOKEN_DATA_BYTES * vocabSize);
        long size = array.get(JAVA_LONG, 8);
        java.util.Arrays.fill(logits, Float.NEGATIVE_INFINITY);
        for (long i = 0; i < size; i++) {
            long at = Llama.TOKEN_DATA_BYTES * i;
            logits[out.get(JAVA_INT, at)] = out.get(JAVA_FLOAT, at + 4);
        }
    }

    void accept(int token) throws Throwable {
        llama.samplerAccept.invokeExact(sampler, token);
    }

    @Override
    public void close() {
        try {
            llama.samplerFree.invokeExact(sampler);
        } catch (Throwable e) {
            throw new UnavailableException("llama_sampler_free failed: " + e, e);
        }
    }
}
