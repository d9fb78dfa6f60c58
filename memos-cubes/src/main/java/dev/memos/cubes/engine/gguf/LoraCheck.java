package dev.memos.cubes.engine.gguf;

import dev.memos.kernel.engine.AdapterInfo;
import dev.memos.kernel.error.InvalidException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Checks that a GGUF file is a LoRA adapter for a base model: its type, architecture, that every
 * {@code X.lora_a}/{@code X.lora_b} pair names a weight {@code X} of the model, and that the shapes fit
 * ({@code lora_a} is [in × r], {@code lora_b} is [r × out] where the weight is [in × out], ggml order) with
 * one rank throughout. llama.cpp checks much of this too, but reports it only to its log.
 */
public final class LoraCheck {
    private LoraCheck() {
    }

    public static AdapterInfo check(Gguf model, Gguf adapter, String sha256) {
        String type = adapter.string("general.type").orElse(null);
        if (!"adapter".equals(type)) {
            throw invalid("general.type is " + (type == null ? "missing" : "'" + type + "'") + ", not 'adapter'");
        }
        String kind = adapter.string("adapter.type").orElse(null);
        if (!"lora".equals(kind)) {
            throw invalid("adapter.type is " + (kind == null ? "missing" : "'" + kind + "'") + ", not 'lora'");
        }
        String arch = adapter.string("general.architecture").orElse(null);
        String modelArch = model.string("general.architecture").orElse("?");
        if (!modelArch.equals(arch)) {
            throw invalid("the adapter is for architecture " + arch + ", the model is " + modelArch);
        }
        float alpha = adapter.number("adapter.lora.alpha").map(Number::floatValue).orElse(0f);
        if (!(alpha >= 0 && alpha < 1e6)) {
            throw invalid("adapter.lora.alpha " + alpha + " is out of range");
        }
        Map<String, Gguf.Tensor> tensors = adapter.tensors();
        if (tensors.isEmpty()) {
            throw invalid("the adapter has no tensors");
        }
        int rank = -1;
        List<String> targets = new ArrayList<>();
        for (Gguf.Tensor t : tensors.values()) {
            if (t.name().endsWith(".lora_b")) {
                continue;
            }
            if (!t.name().endsWith(".lora_a")) {
                throw invalid("tensor " + t.name() + " is neither a lora_a nor a lora_b");
            }
            String target = t.name().substring(0, t.name().length() - ".lora_a".length());
            Gguf.Tensor b = tensors.get(target + ".lora_b");
            if (b == null) {
                throw invalid("tensor " + t.name() + " has no " + target + ".lora_b");
            }
            Gguf.Tensor weight = model.tensors().get(target);
            if (weight == null) {
                throw invalid("the model has no tensor " + target + " for " + t.name()
                        + " (an adapter for another base model?)");
            }
            long[] w = weight.shape();
            long[] a = t.shape();
            long[] bs = b.shape();
            if (w.length != 2 || a.length != 2 || bs.length != 2 || a[0] != w[0] || bs[1] != w[1] || a[1] != bs[0]) {
                throw invalid(target + " is " + Arrays.toString(w) + " in the model, but the adapter's lora_a is "
                        + Arrays.toString(a) + " and lora_b " + Arrays.toString(bs)
                        + " (an adapter for another base model?)");
            }
            if (rank != -1 && a[1] != rank) {
                throw invalid("ranks differ: " + rank + " and " + a[1] + " (" + t.name() + ")");
            }
            rank = (int) a[1];
            targets.add(target);
        }
        for (Gguf.Tensor t : tensors.values()) {
            String target = t.name().substring(0, t.name().length() - ".lora_b".length());
            if (t.name().endsWith(".lora_b") && !tensors.containsKey(target + ".lora_a")) {
                throw invalid("tensor " + t.name() + " has no " + target + ".lora_a");
            }
        }
        return new AdapterInfo(sha256, arch, rank, alpha, targets, adapter.fileSize());
    }

    private static InvalidException invalid(String reason) {
        return new InvalidException("adapter", reason);
    }
}
