package dev.memos.kernel.access;

import dev.memos.kernel.error.InvalidException;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** What a grant on a space allows, each role including the ones before it. */
public enum Role {
    READ, WRITE, ADMIN;

    public boolean includes(Role other) {
        return compareTo(other) >= 0;
    }

    /** The roles that include {@code minimum}: what a storage query accepts as sufficient. */
    public static Set<Role> atLeast(Role minimum) {
        EnumSet<Role> roles = EnumSet.noneOf(Role.class);
        for (Role role : values()) {
            if (role.includes(minimum)) {
                roles.add(role);
            }
        }
        return roles;
    }

    public static Role parse(String field, String text) {
        if (text != null) {
            for (Role role : values()) {
                if (role.name().equalsIgnoreCase(text)) {
                    return role;
                }
            }
        }
        throw new InvalidException(field, "'" + text + "' is not a role; use one of "
                + Arrays.stream(values()).map(r -> r.name().toLowerCase(Locale.ROOT)).toList());
    }
}
