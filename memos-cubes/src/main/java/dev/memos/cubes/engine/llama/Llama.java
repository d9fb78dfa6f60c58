package dev.memos.cubes.engine.llama;

import dev.memos.kernel.error.UnavailableException;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.stream.Stream;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The libllama functions memos calls, bound through the FFM API (no JNI code of ours). Struct layouts follow
 * {@code include/llama.h} of llama.cpp v0.5.0; {@code LlamaBindingTest} checks them against the library's own
 * default values, so an upgrade that moves a field fails that test instead of corrupting memory.
 */
final class Llama {
    /** {@code struct llama_model_params}: 80 bytes. */
    static final StructLayout MODEL_PARAMS = MemoryLayout.structLayout(MemoryLayout.sequenceLayout(10, JAVA_LONG));
    /** {@code struct llama_context_params}: 160 bytes. */
    static final StructLayout CONTEXT_PARAMS = MemoryLayout.structLayout(MemoryLayout.sequenceLayout(20, JAVA_LONG));
    /** {@code struct llama_batch}: 56 bytes. */
    static final StructLayout BATCH = MemoryLayout.structLayout(JAVA_INT, MemoryLayout.paddingLayout(4),
            ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
    /** {@code struct llama_token_data_array}: data, size, selected, sorted (32 bytes). */
    static final StructLayout TOKEN_DATA_ARRAY = MemoryLayout.structLayout(ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_BOOLEAN,
            MemoryLayout.paddingLayout(7));
    /** {@code struct llama_token_data}: id, logit, p (12 bytes). */
    static final long TOKEN_DATA_BYTES = 12;
    /** {@code struct llama_perf_context_data}: four doubles, three ints (48 bytes). */
    static final StructLayout PERF_CONTEXT = MemoryLayout.structLayout(JAVA_DOUBLE, JAVA_DOUBLE, JAVA_DOUBLE,
            JAVA_DOUBLE, JAVA_INT, JAVA_INT, JAVA_INT, MemoryLayout.paddingLayout(4));

    // Offsets inside llama_context_params (llama.h v0.5.0).
    static final long CTX_N_CTX = 0, CTX_N_BATCH = 4, CTX_N_UBATCH = 8, CTX_N_SEQ_MAX = 12, CTX_N_THREADS = 28,
            CTX_N_THREADS_BATCH = 32, CTX_FLASH_ATTN = 52, CTX_YARN_EXT_FACTOR = 64, CTX_DEFRAG_THOLD = 84,
            CTX_TYPE_K = 104, CTX_TYPE_V = 108, CTX_EMBEDDINGS = 128, CTX_OFFLOAD_KQV = 129, CTX_NO_PERF = 130,
            CTX_KV_UNIFIED = 133;
    // Offsets inside llama_model_params.
    static final long MODEL_N_GPU_LAYERS = 16, MODEL_SPLIT_MODE = 20, MODEL_VOCAB_ONLY = 72, MODEL_USE_EXTRA_BUFTS = 74;

    /** The files of the v0.5.0 build, in load order. */
    static final List<String> LIBRARIES = List.of("libggml-base.so", "libggml.v0.5.0.so", "libllama.v0.5.0.so");

    private static final Linker LINKER = Linker.nativeLinker();
    private static final int LOG_WARN = 3;
    private static final int LOG_ERROR = 4;

    final MethodHandle backendInit, modelDefaultParams, modelLoad, modelFree, contextDefaultParams, initFromModel, free,
            modelGetVocab, vocabNTokens, vocabBos, vocabIsEog, modelNCtxTrain, modelNEmbd, modelNLayer,
            modelMetaValStr, tokenize, tokenToPiece, batchGetOne, decode, getLogitsIth, getMemory, memoryClear,
            stateSeqGetSize, stateSeqGetData, stateSeqSetData, adapterLoraInit, adapterLoraFree, setAdaptersLora,
            samplerInitGrammar, samplerApply, samplerAccept, samplerFree, perfContext, perfContextReset, nCtx;

    private final Deque<String> problems = new ArrayDeque<>();
    private final Path directory;
    private final List<String> build;

    private Llama(Path directory, SymbolLookup lookup, List<String> build) {
        this.directory = directory;
        this.build = build;
        backendInit = bind(lookup, "llama_backend_init", FunctionDescriptor.ofVoid());
        modelDefaultParams = bind(lookup, "llama_model_default_params", FunctionDescriptor.of(MODEL_PARAMS));
        modelLoad = bind(lookup, "llama_model_load_from_file", FunctionDescriptor.of(ADDRESS, ADDRESS, MODEL_PARAMS));
        modelFree = bind(lookup, "llama_model_free", FunctionDescriptor.ofVoid(ADDRESS));
        contextDefaultParams = bind(lookup, "llama_context_default_params", FunctionDescriptor.of(CONTEXT_PARAMS));
        initFromModel = bind(lookup, "llama_init_from_model", FunctionDescriptor.of(ADDRESS, ADDRESS, CONTEXT_PARAMS));
        free = bind(lookup, "llama_free", FunctionDescriptor.ofVoid(ADDRESS));
        nCtx = bind(lookup, "llama_n_ctx", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        modelGetVocab = bind(lookup, "llama_model_get_vocab", FunctionDescriptor.of(ADDRESS, ADDRESS));
        vocabNTokens = bind(lookup, "llama_vocab_n_tokens", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        vocabBos = bind(lookup, "llama_vocab_bos", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        vocabIsEog = bind(lookup, "llama_vocab_is_eog", FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS, JAVA_INT));
        modelNCtxTrain = bind(lookup, "llama_model_n_ctx_train", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        modelNEmbd = bind(lookup, "llama_model_n_embd", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        modelNLayer = bind(lookup, "llama_model_n_layer", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        modelMetaValStr = bind(lookup, "llama_model_meta_val_str",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
        tokenize = bind(lookup, "llama_tokenize", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS,
                JAVA_INT, JAVA_BOOLEAN, JAVA_BOOLEAN));
        tokenToPiece = bind(lookup, "llama_token_to_piece", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS,
                JAVA_INT, JAVA_INT, JAVA_BOOLEAN));
        batchGetOne = bind(lookup, "llama_batch_get_one", FunctionDescriptor.of(BATCH, ADDRESS, JAVA_INT));
        decode = bind(lookup, "llama_decode", FunctionDescriptor.of(JAVA_INT, ADDRESS, BATCH));
        getLogitsIth = bind(lookup, "llama_get_logits_ith", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
        getMemory = bind(lookup, "llama_get_memory", FunctionDescriptor.of(ADDRESS, ADDRESS));
        memoryClear = bind(lookup, "llama_memory_clear", FunctionDescriptor.ofVoid(ADDRESS, JAVA_BOOLEAN));
        stateSeqGetSize = bind(lookup, "llama_state_seq_get_size", FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_INT));
        stateSeqGetData = bind(lookup, "llama_state_seq_get_data",
                FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT));
        stateSeqSetData = bind(lookup, "llama_state_seq_set_data",
                FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT));
        adapterLoraInit = bind(lookup, "llama_adapter_lora_init", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        adapterLoraFree = bind(lookup, "llama_adapter_lora_free", FunctionDescriptor.ofVoid(ADDRESS));
        setAdaptersLora = bind(lookup, "llama_set_adapters_lora",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
        samplerInitGrammar = bind(lookup, "llama_sampler_init_grammar",
                FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        samplerApply = bind(lookup, "llama_sampler_apply", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
        samplerAccept = bind(lookup, "llama_sampler_accept", FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT));
        samplerFree = bind(lookup, "llama_sampler_free", FunctionDescriptor.ofVoid(ADDRESS));
        perfContext = bind(lookup, "llama_perf_context", FunctionDescriptor.of(PERF_CONTEXT, ADDRESS));
        perfContextReset = bind(lookup, "llama_perf_context_reset", FunctionDescriptor.ofVoid(ADDRESS));
    }

    private static Llama loaded;

    /**
     * Loads the libraries in {@code directory} once per process (a native library cannot be unloaded), picks the
     * best CPU variant among the {@code libggml-cpu-*.so} beside them, and routes llama.cpp's log into memory so a
     * failure can name its reason instead of printing to the service's stderr.
     */
    static synchronized Llama load(Path directory) {
        Path dir = directory.toAbsolutePath().normalize();
        if (loaded != null) {
            if (!loaded.directory.equals(dir) && !loaded.build.equals(fingerprint(libraries(dir)))) {
                throw new UnavailableException("llama.cpp is already loaded from " + loaded.directory
                        + "; one process loads one build", null);
            }
            return loaded;
        }
        List<Path> files = libraries(dir);
        SymbolLookup lookup = null;
        for (Path file : files) {
            SymbolLookup next = SymbolLookup.libraryLookup(file, Arena.global());
            lookup = lookup == null ? next : lookup.or(next);
        }
        Llama llama = new Llama(dir, lookup, fingerprint(files));
        try (Arena arena = Arena.ofConfined()) {
            MethodHandle logSet = bind(lookup, "llama_log_set", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
            MethodHandle callback = MethodHandles.lookup().findVirtual(Llama.class, "log",
                    MethodType.methodType(void.class, int.class, MemorySegment.class, MemorySegment.class)).bindTo(llama);
            MemorySegment stub = LINKER.upcallStub(callback, FunctionDescriptor.ofVoid(JAVA_INT, ADDRESS, ADDRESS),
                    Arena.global());
            logSet.invokeExact(stub, MemorySegment.NULL);
            MethodHandle loadAll = bind(lookup, "ggml_backend_load_all_from_path", FunctionDescriptor.ofVoid(ADDRESS));
            loadAll.invokeExact(arena.allocateFrom(dir.toString()));
            llama.backendInit.invokeExact();
        } catch (Throwable e) {
            throw new UnavailableException("cannot initialise llama.cpp from " + dir + ": " + e, e);
        }
        loaded = llama;
        return llama;
    }

    /** The names and SHA-256s of the library files, which identify a build wherever it was unpacked. */
    private static List<String> fingerprint(List<Path> files) {
        try {
            List<String> out = new java.util.ArrayList<>();
            for (Path file : files) {
                out.add(file.getFileName() + " " + dev.memos.kernel.model.Sha256.of(file));
            }
            return out;
        } catch (java.io.UncheckedIOException e) {
            throw new UnavailableException("cannot read " + files + ": " + e.getMessage(), e);
        }
    }

    /** The three libraries to load from a directory: the bundled v0.5.0 names, or a plain llama.cpp build's. */
    static List<Path> libraries(Path dir) {
        List<Path> bundled = LIBRARIES.stream().map(dir::resolve).toList();
        if (bundled.stream().allMatch(Files::isRegularFile)) {
            return bundled;
        }
        List<Path> plain = Stream.of("libggml-base.so", "libggml.so", "libllama.so").map(dir::resolve).toList();
        if (plain.stream().allMatch(Files::isRegularFile)) {
            return plain;
        }
        throw new UnavailableException("no llama.cpp libraries in " + dir + " (expected " + String.join(", ", LIBRARIES)
                + ", or libggml-base.so, libggml.so and libllama.so of your own build)", null);
    }

    @SuppressWarnings("unused") // called from native code through the upcall stub
    private void log(int level, MemorySegment text, MemorySegment userData) {
        if (level != LOG_WARN && level != LOG_ERROR) {
            return;
        }
        String line = text.reinterpret(4096).getString(0).strip();
        synchronized (problems) {
            problems.addLast(line);
            while (problems.size() > 20) {
                problems.removeFirst();
            }
        }
    }

    /** The warnings and errors llama.cpp logged since the last call (the reason of a failed load, say). */
    String drainProblems() {
        synchronized (problems) {
            String all = String.join("; ", problems);
            problems.clear();
            return all;
        }
    }

    private static MethodHandle bind(SymbolLookup lookup, String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = lookup.find(name).orElseThrow(() -> new UnavailableException(
                "the llama.cpp library has no function " + name + " (another version than v0.5.0?)", null));
        return LINKER.downcallHandle(symbol, descriptor);
    }
}
