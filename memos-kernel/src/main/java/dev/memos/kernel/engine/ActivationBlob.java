package dev.memos.kernel.engine;

import dev.memos.kernel.error.ConflictException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of an activation cube's blob: a header naming what the KV state is valid for (model SHA-256, context
 * settings, adapters), the prefix's token ids, then the engine's state. The blob store checks the bytes against
 * their SHA-256; this format checks its own structure, so a damaged or foreign blob is refused, never restored.
 */
public final class ActivationBlob {
    public static final String MEDIA_TYPE = "application/vnd.memos.kv-state";
    private static final int MAGIC = 0x4d4b5631; // "MKV1"
    private static final int MAX_TOKENS = 1 << 20;

    private ActivationBlob() {
    }

    public static byte[] encode(KvSnapshot kv) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(kv.state().length + 4 * kv.tokens().length + 512);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(MAGIC);
            out.writeUTF(kv.modelSha256());
            out.writeInt(kv.context().contextSize());
            out.writeUTF(kv.context().kvType());
            out.writeInt(kv.adapters().size());
            for (AdapterUse adapter : kv.adapters()) {
                out.writeUTF(adapter.sha256());
                out.writeFloat(adapter.scale());
            }
            out.writeInt(kv.tokens().length);
            for (int token : kv.tokens()) {
                out.writeInt(token);
            }
            out.writeInt(kv.state().length);
            out.write(kv.state());
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @throws ConflictException when the bytes are not an activation blob of this format */
    public static KvSnapshot decode(byte[] blob) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(blob))) {
            if (in.readInt() != MAGIC) {
                throw damaged("it does not start with the activation format's mark");
            }
            String model = in.readUTF();
            ContextSettings context = new ContextSettings(in.readInt(), in.readUTF());
            int adapterCount = in.readInt();
            if (adapterCount < 0 || adapterCount > 64) {
                throw damaged("it names " + adapterCount + " adapters");
            }
            List<AdapterUse> adapters = new ArrayList<>();
            for (int i = 0; i < adapterCount; i++) {
                adapters.add(new AdapterUse(in.readUTF(), in.readFloat()));
            }
            int count = in.readInt();
            if (count < 1 || count > MAX_TOKENS) {
                throw damaged("it holds " + count + " tokens");
            }
            int[] tokens = new int[count];
            for (int i = 0; i < count; i++) {
                tokens[i] = in.readInt();
            }
            int size = in.readInt();
            if (size < 0 || size != in.available()) {
                throw damaged("its state is " + in.available() + " bytes but its header says " + size);
            }
            return new KvSnapshot(in.readNBytes(size), tokens, model, adapters, context);
        } catch (IOException | RuntimeException e) {
            if (e instanceof ConflictException conflict) {
                throw conflict;
            }
            throw damaged("it cannot be read (" + e.getMessage() + ")");
        }
    }

    private static ConflictException damaged(String why) {
        return new ConflictException("the activation blob is damaged: " + why);
    }

    /** Text form of an adapter set for blob attributes: {@code sha:scale,…}, or {@code none}. */
    public static String adapterList(List<AdapterUse> adapters) {
        return adapters.isEmpty() ? "none" : String.join(",", adapters.stream().sorted().map(AdapterUse::toString).toList());
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
