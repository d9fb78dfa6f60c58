package dev.memos.cubes.embed.onnx;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import org.jboss.logging.Logger;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Gets a local model ready on a background thread while the service boots: loads ONNX Runtime's and the
 * tokenizer's native libraries, reads the model's weights out of their jar and parses its tokenizer: ~0.8 s of
 * the model's ~1.2 s load, otherwise spent on the boot's own thread (start to ready ~0.3 s shorter on two shared
 * cores). {@link OnnxEmbedder#load} takes the result (waiting for it if need be) instead of doing the same work.
 *
 * <p>Started before the configuration is read, so it guesses which model the service will use; a guess that
 * turns out wrong costs only the background work: {@link #take} of another model, or {@link #discard} when
 * the service embeds remotely, drops it.
 */
public final class ModelPrefetch {
    private static final Logger LOG = Logger.getLogger(ModelPrefetch.class);
    private static final AtomicReference<Pending> PENDING = new AtomicReference<>();

    /** A model's weights and its tokenizer, read ahead. */
    record Prefetched(byte[] weights, HuggingFaceTokenizer tokenizer) {
    }

    private record Pending(String model, CompletableFuture<Prefetched> result) {
    }

    private ModelPrefetch() {
    }

    /** Starts reading {@code model} on a daemon thread; does nothing when a prefetch was already started. */
    public static void start(String model) {
        Pending pending = new Pending(model, new CompletableFuture<>());
        if (!PENDING.compareAndSet(null, pending)) {
            return;
        }
        Thread.ofPlatform().name("memos-model-prefetch").daemon().start(() -> {
            try {
                OnnxNatives.environment();
                byte[] weights = OnnxEmbedder.resource(model + ".onnx");
                pending.result().complete(new Prefetched(weights, OnnxEmbedder.tokenizer(model)));
            } catch (Exception | LinkageError e) {
                pending.result().completeExceptionally(e);
            }
        });
    }

    /**
     * What was read ahead for {@code model}, once it is ready; {@code null} when nothing was started for it or
     * the prefetch failed (the caller then reads the model itself and meets the same failure with its own
     * message). Either way nothing stays pending afterwards.
     */
    static Prefetched take(String model) {
        Pending pending = PENDING.getAndSet(null);
        if (pending == null) {
            return null;
        }
        if (!pending.model().equals(model)) {
            drop(pending);
            return null;
        }
        try {
            return pending.result().get();
        } catch (ExecutionException e) {
            LOG.debugf(e.getCause(), "prefetching the model %s failed; reading it again", model);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drop(pending);
            return null;
        }
    }

    /** Drops whatever was read ahead (the service does not use a local model). */
    public static void discard() {
        Pending pending = PENDING.getAndSet(null);
        if (pending != null) {
            drop(pending);
        }
    }

    private static void drop(Pending pending) {
        pending.result().thenAccept(prefetched -> prefetched.tokenizer().close());
    }
}
