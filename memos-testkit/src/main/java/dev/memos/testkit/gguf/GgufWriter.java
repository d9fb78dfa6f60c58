package dev.memos.testkit.gguf;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes GGUF v3 files (metadata, then F32 or F16 tensors, 32-byte aligned) for tests and benchmarks: no model
 * weights are reachable from a memos build machine, so the engine is exercised on random weights.
 */
public final class GgufWriter {
    public static final int F32 = 0;
    public static final int F16 = 1;
    private static final int T_U32 = 4, T_I32 = 5, T_F32 = 6, T_STRING = 8, T_ARRAY = 9;
    private static final int ALIGN = 32;

    private final Map<String, Object> metadata = new LinkedHashMap<>();
    private final List<Tensor> tensors = new ArrayList<>();

    /** A tensor whose values come from a generator when the file is written (no huge arrays held). */
    private record Tensor(String name, long[] shape, int type, ValueSource values) {
        long elements() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }

        long bytes() {
            return elements() * (type == F16 ? 2 : 4);
        }
    }

    /** Supplies a tensor's values in order. */
    @FunctionalInterface
    public interface ValueSource {
        float next(long index);
    }

    public GgufWriter put(String key, Object value) {
        metadata.put(key, value);
        return this;
    }

    /** Adds a tensor; {@code shape} is in ggml order ({@code shape[0]} is the row length). */
    public GgufWriter tensor(String name, long[] shape, int type, ValueSource values) {
        tensors.add(new Tensor(name, shape.clone(), type, values));
        return this;
    }

    /** Normally distributed values with standard deviation {@code sd}, from a seeded generator. */
    public static ValueSource gaussian(long seed, double sd) {
        Random random = new Random(seed);
        return i -> (float) (random.nextGaussian() * sd);
    }

    public static ValueSource constant(float value) {
        return i -> value;
    }

    public void write(Path file) throws IOException {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        Out out = new Out(header);
        out.u32(0x46554747);
        out.u32(3);
        out.u64(tensors.size());
        out.u64(metadata.size());
        for (Map.Entry<String, Object> kv : metadata.entrySet()) {
            out.string(kv.getKey());
            out.typed(kv.getValue());
        }
        long offset = 0;
        for (Tensor t : tensors) {
            out.string(t.name());
            out.u32(t.shape().length);
            for (long d : t.shape()) {
                out.u64(d);
            }
            out.u32(t.type());
            out.u64(offset);
            offset += pad(t.bytes());
        }
        while (header.size() % ALIGN != 0) {
            header.write(0);
        }
        try (OutputStream file1 = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            header.writeTo(file1);
            ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (Tensor t : tensors) {
                long n = t.elements();
                for (long i = 0; i < n; i++) {
                    if (buffer.remaining() < 4) {
                        file1.write(buffer.array(), 0, buffer.position());
                        buffer.clear();
                    }
                    float v = t.values().next(i);
                    if (t.type() == F16) {
                        buffer.putShort(Float.floatToFloat16(v));
                    } else {
                        buffer.putFloat(v);
                    }
                }
                for (long p = t.bytes(); p < pad(t.bytes()); p++) {
                    if (!buffer.hasRemaining()) {
                        file1.write(buffer.array(), 0, buffer.position());
                        buffer.clear();
                    }
                    buffer.put((byte) 0);
                }
            }
            file1.write(buffer.array(), 0, buffer.position());
        }
    }

    private static long pad(long n) {
        return (n + ALIGN - 1) / ALIGN * ALIGN;
    }

    /** Little-endian GGUF values; Java types map to u32 (Integer), f32 (Float), string and arrays (List). */
    private static final class Out {
        private final ByteArrayOutputStream s;

        Out(ByteArrayOutputStream s) {
            this.s = s;
        }

        void u32(int v) {
            s.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
        }

        void u64(long v) {
            s.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
        }

        void string(String v) {
            byte[] b = v.getBytes(StandardCharsets.UTF_8);
            u64(b.length);
            s.writeBytes(b);
        }

        void typed(Object v) {
            u32(type(v));
            value(v);
        }

        int type(Object v) {
            return switch (v) {
                case Integer i -> T_U32;
                case Float f -> T_F32;
                case String str -> T_STRING;
                case List<?> list -> T_ARRAY;
                case int[] ints -> T_ARRAY;
                default -> throw new IllegalArgumentException("no GGUF type for " + v.getClass());
            };
        }

        void value(Object v) {
            switch (v) {
                case Integer i -> u32(i);
                case Float f -> u32(Float.floatToIntBits(f));
                case String str -> string(str);
                case int[] ints -> {
                    u32(T_I32);
                    u64(ints.length);
                    for (int i : ints) {
                        u32(i);
                    }
                }
                case List<?> list -> {
                    u32(list.isEmpty() ? T_STRING : type(list.getFirst()));
                    u64(list.size());
                    list.forEach(this::value);
                }
                default -> throw new IllegalArgumentException("no GGUF type for " + v.getClass());
            }
        }
    }
}
