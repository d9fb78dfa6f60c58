package dev.memos.kernel.model;

import dev.memos.kernel.error.InvalidException;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import java.util.UUID;

/**
 * The stable identity of a cube across all its versions: a UUIDv7, so ids sort by creation time
 * and make a natural paging key.
 */
public record CubeId(UUID value) implements Comparable<CubeId> {
    private static final SecureRandom RANDOM = new SecureRandom();

    public CubeId {
        Objects.requireNonNull(value, "value");
    }

    public static CubeId parse(String text) {
        try {
            return new CubeId(UUID.fromString(Objects.requireNonNull(text, "text")));
        } catch (IllegalArgumentException e) {
            throw new InvalidException("id", "'" + Check.abbreviate(text) + "' is not a cube id (a UUID)");
        }
    }

    /** A new time-ordered id (RFC 9562 version 7). */
    public static CubeId next(Clock clock) {
        long millis = clock.millis();
        long msb = (millis << 16) | 0x7000L | (RANDOM.nextInt() & 0x0FFFL);
        long lsb = (RANDOM.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new CubeId(new UUID(msb, lsb));
    }

    @Override
    public int compareTo(CubeId other) {
        return toString().compareTo(other.toString());
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
