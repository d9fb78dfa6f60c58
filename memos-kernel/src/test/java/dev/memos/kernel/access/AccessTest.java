package dev.memos.kernel.access;

import dev.memos.kernel.error.InvalidException;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccessTest {
    @Test
    void each_role_includes_the_weaker_ones() {
        assertEquals(EnumSet.of(Role.READ, Role.WRITE, Role.ADMIN), Role.atLeast(Role.READ));
        assertEquals(EnumSet.of(Role.WRITE, Role.ADMIN), Role.atLeast(Role.WRITE));
        assertEquals(EnumSet.of(Role.ADMIN), Role.atLeast(Role.ADMIN));
        assertEquals(Role.WRITE, Role.parse("role", "write"));
        assertEquals("role", assertThrows(InvalidException.class, () -> Role.parse("role", "owner")).field());
    }

    @Test
    void api_keys_are_random_and_stored_as_a_hash() {
        String a = ApiKeys.generate();
        String b = ApiKeys.generate();
        assertNotEquals(a, b);
        assertTrue(a.startsWith(ApiKeys.PREFIX));
        assertEquals(64, ApiKeys.hash(a).length());
        assertEquals(ApiKeys.hash(a), ApiKeys.hash(a));
        assertNotEquals(ApiKeys.hash(a), ApiKeys.hash(b));
    }
}
