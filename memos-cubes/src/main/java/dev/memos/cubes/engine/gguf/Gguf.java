package dev.memos.cubes.engine.gguf;

import dev.memos.kernel.error.InvalidException;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The header of a GGUF file (v2 or v3): its metadata and tensor table, read without the tensor data and
 * checked against the file's length, so a truncated or hostile file is refused with the reason before a native
 * loader sees it. Arrays are kept only as their length (a vocabulary of 150k strings is not needed here).
 */
public record Gguf(int version, Map<String, Object> metadata, Map<String, Tensor> tensors, long dataStart,
                   long fileSize) {
    private static final int MAGIC = 0x46554747; // "GGUF" little-endian
    private static final long MAX_STRING = 1 << 20;
    private static final long MAX_ENTRIES = 1 << 24;

    /**
     * A tensor's name, shape in ggml order ({@code ne[0]} is the row length) and element type.
     */
    public record Tensor(String name, long[] shape, int type, long offset) {
        public long elements() {
            long n = 1;
            for (long d : shape) {
                n = Math.multiplyExact(n, d);
            }
            return n;
        }

        /** Bytes of the tensor's data, or -1 for a type this reader does not know the block size of. */
        public long bytes() {
            long[] block = BLOCKS.get(type);
            if (block == null) {
                return -1;
            }
            return Math.multiplyExact(elements() / block[0], block[1]);
        }
    }

    /** The length of an array value in {@link #metadata()}. */
    public record ArrayLength(int elementType, long length) {
    }

    /** ggml type → {block elements, block bytes}, for the types GGUF files commonly carry. */
    private static final Map<Integer, long[]> BLOCKS = Map.ofEntries(
            Map.entry(0, new long[]{1, 4}), Map.entry(1, new long[]{1, 2}), Map.entry(2, new long[]{32, 18}),
            Map.entry(3, new long[]{32, 20}), Map.entry(6, new long[]{32, 22}), Map.entry(7, new long[]{32, 24}),
            Map.entry(8, new long[]{32, 34}), Map.entry(10, new long[]{256, 84}), Map.entry(11, new long[]{256, 110}),
            Map.entry(12, new long[]{256, 144}), Map.entry(13, new long[]{256, 176}), Map.entry(14, new long[]{256, 210}),
            Map.entry(30, new long[]{1, 2}));

    public Optional<String> string(String key) {
        return metadata.get(key) instanceof String s ? Optional.of(s) : Optional.empty();
    }

    public Optional<Number> number(String key) {
        return metadata.get(key) instanceof Number n ? Optional.of(n) : Optional.empty();
    }

    /** Reads and checks the header of the file at {@code path}. */
    public static Gguf read(Path path) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
            return read(in, Files.size(path));
        } catch (IOException e) {
            throw new InvalidException("file", "cannot read the GGUF file: " + e.getMessage());
        }
    }

    static Gguf read(InputStream stream, long fileSize) throws IOException {
        Reader in = new Reader(stream);
        try {
            if (in.u32() != MAGIC) {
                throw invalid("not a GGUF file (the magic bytes are not GGUF)");
            }
            int version = in.u32();
            if (version != 2 && version != 3) {
                throw invalid("GGUF version " + version + " is not supported (2 or 3)");
            }
            long tensorCount = in.count("tensor count");
            long kvCount = in.count("metadata count");
            Map<String, Object> metadata = new LinkedHashMap<>();
            for (long i = 0; i < kvCount; i++) {
                String key = in.string();
                metadata.put(key, in.value(in.u32()));
            }
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (long i = 0; i < tensorCount; i++) {
                String name = in.string();
                int dims = in.u32();
                if (dims < 1 || dims > 4) {
                    throw invalid("tensor " + name + " has " + dims + " dimensions");
                }
                long[] shape = new long[dims];
                for (int d = 0; d < dims; d++) {
                    shape[d] = in.u64();
                    if (shape[d] < 1 || shape[d] > (1L << 40)) {
                        throw invalid("tensor " + name + " has a dimension of " + shape[d]);
                    }
                }
                int type = in.u32();
                long offset = in.u64();
                if (tensors.put(name, new Tensor(name, shape, type, offset)) != null) {
                    throw invalid("tensor " + name + " appears twice");
                }
            }
            long alignment = metadata.get("general.alignment") instanceof Number n ? n.longValue() : 32;
            if (alignment < 1 || alignment > 4096) {
                throw invalid("general.alignment " + alignment + " is out of range");
            }
            long dataStart = (in.position + alignment - 1) / alignment * alignment;
            for (Tensor t : tensors.values()) {
                long bytes;
                try {
                    bytes = t.bytes();
                } catch (ArithmeticException overflow) {
                    throw invalid("tensor " + t.name() + " is too large");
                }
                if (t.offset() < 0 || (bytes >= 0 && dataStart + t.offset() + bytes > fileSize)) {
                    throw invalid("the file is truncated: tensor " + t.name() + " ends at byte "
                            + (dataStart + t.offset() + Math.max(bytes, 0)) + " of " + fileSize);
                }
            }
            return new Gguf(version, Collections.unmodifiableMap(metadata), Collections.unmodifiableMap(tensors),
                    dataStart, fileSize);
        } catch (EOFException e) {
            throw invalid("the file is truncated inside its header");
        }
    }

    private static InvalidException invalid(String reason) {
        return new InvalidException("file", reason);
    }

    /** Little-endian primitives with bounds, so a hostile length cannot make us allocate gigabytes. */
    private static final class Reader {
        private final InputStream in;
        private long position;

        Reader(InputStream in) {
            this.in = in;
        }

        private int byteValue() throws IOException {
            int b = in.read();
            if (b < 0) {
                throw new EOFException();
            }
            position++;
            return b;
        }

        int u32() throws IOException {
            return byteValue() | byteValue() << 8 | byteValue() << 16 | byteValue() << 24;
        }

        long u64() throws IOException {
            return (u32() & 0xffffffffL) | ((long) u32()) << 32;
        }

        long count(String what) throws IOException {
            long n = u64();
            if (n < 0 || n > MAX_ENTRIES) {
                throw invalid(what + " " + n + " is out of range");
            }
            return n;
        }

        String string() throws IOException {
            long n = u64();
            if (n < 0 || n > MAX_STRING) {
                throw invalid("a string of " + n + " bytes in the header");
            }
            byte[] bytes = in.readNBytes((int) n);
            if (bytes.length != n) {
                throw new EOFException();
            }
            position += n;
            try {
                return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                throw invalid("a header string is not UTF-8");
            }
        }

        Object value(int type) throws IOException {
            return switch (type) {
                case 0 -> byteValue();
                case 1 -> (int) (byte) byteValue();
                case 2 -> byteValue() | byteValue() << 8;
                case 3 -> (int) (short) (byteValue() | byteValue() << 8);
                case 4 -> u32() & 0xffffffffL;
                case 5 -> u32();
                case 6 -> Float.intBitsToFloat(u32());
                case 7 -> byteValue() != 0;
                case 8 -> string();
                case 9 -> array();
                case 10, 11 -> u64();
                case 12 -> Double.longBitsToDouble(u64());
                default -> throw invalid("unknown metadata type " + type);
            };
        }

        ArrayLength array() throws IOException {
            int elementType = u32();
            long length = count("array length");
            if (elementType == 9) {
                throw invalid("nested arrays are not supported");
            }
            for (long i = 0; i < length; i++) {
                value(elementType);
            }
            return new ArrayLength(elementType, length);
        }
    }

    /** Names of the tensors, in file order. */
    public List<String> tensorNames() {
        return new ArrayList<>(tensors.keySet());
    }
}
