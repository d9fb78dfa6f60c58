package dev.memos.api.auth;

import dev.memos.kernel.Directory;
import dev.memos.kernel.error.UnauthenticatedException;
import dev.memos.kernel.testing.InMemoryBackend;
import dev.memos.kernel.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AuthenticatorTest {
    private static final String OLD_KEY = "old-admin-key-0123456789abcdef";
    private static final String NEW_KEY = "new-admin-key-0123456789abcdef";
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final InMemoryBackend backend = new InMemoryBackend();
    private final Directory directory = new Directory(backend.directory(), backend.cubes(), backend.outbox(),
            backend.transactions(), clock);

    /** An authenticator over a directory whose administrator's key is now {@code OLD_KEY}. */
    private Authenticator authenticator(Duration keep) {
        directory.bootstrapAdmin(OLD_KEY, key -> { });
        return new Authenticator(directory, keep, () -> clock.millis() * 1_000_000);
    }

    @Test
    void a_remembered_key_outlives_its_rotation_by_at_most_the_cache_time() {
        Authenticator authenticator = authenticator(Duration.ofSeconds(30));
        String admin = authenticator.authenticate(OLD_KEY).id();
        directory.bootstrapAdmin(NEW_KEY, key -> { }); // e.g. another instance restarted with a new MEMOS_ADMIN_KEY
        assertEquals(admin, authenticator.authenticate(NEW_KEY).id());
        clock.advance(Duration.ofSeconds(29));
        assertEquals(admin, authenticator.authenticate(OLD_KEY).id(), "remembered: the database was not asked");
        clock.advance(Duration.ofSeconds(2));
        assertThrows(UnauthenticatedException.class, () -> authenticator.authenticate(OLD_KEY));
    }

    @Test
    void without_a_cache_time_every_request_asks_the_directory() {
        Authenticator uncached = authenticator(Duration.ZERO);
        uncached.authenticate(OLD_KEY);
        directory.bootstrapAdmin(NEW_KEY, key -> { });
        assertThrows(UnauthenticatedException.class, () -> uncached.authenticate(OLD_KEY));
    }

    @Test
    void keys_that_fail_are_never_remembered() {
        Authenticator cached = authenticator(Duration.ofSeconds(30));
        assertThrows(UnauthenticatedException.class, () -> cached.authenticate(NEW_KEY));
        directory.bootstrapAdmin(NEW_KEY, key -> { });
        cached.authenticate(NEW_KEY);
        assertThrows(UnauthenticatedException.class, () -> cached.authenticate(" "));
        assertThrows(UnauthenticatedException.class, () -> cached.authenticate(null));
    }

    @Test
    void a_replaced_key_is_forgotten_when_the_event_arrives_not_when_the_cache_time_ends() {
        Authenticator here = authenticator(Duration.ofMinutes(10));
        Authenticator elsewhere = new Authenticator(directory, Duration.ofMinutes(10), () -> clock.millis() * 1_000_000);
        var admin = here.authenticate(OLD_KEY);
        elsewhere.authenticate(OLD_KEY);
        Directory.IssuedKey issued = directory.replaceKey(admin, admin.id());
        here.forget(admin.id()); // what the REST call does on the instance that replaced it
        assertThrows(UnauthenticatedException.class, () -> here.authenticate(OLD_KEY));
        assertEquals(admin.id(), elsewhere.authenticate(OLD_KEY).id(), "still remembered until the event arrives");
        var events = backend.events().stream()
                .filter(e -> e.type() == dev.memos.kernel.event.EventType.PRINCIPAL_KEY_CHANGED).toList();
        assertEquals(1, events.size());
        assertEquals(Directory.NO_SPACE, events.getFirst().space());
        elsewhere.accept(events);
        assertThrows(UnauthenticatedException.class, () -> elsewhere.authenticate(OLD_KEY));
        assertEquals(admin.id(), elsewhere.authenticate(issued.apiKey()).id());
    }

    @Test
    void only_an_administrator_or_the_principal_itself_replaces_a_key() {
        authenticator(Duration.ZERO);
        var admin = directory.authenticate(OLD_KEY);
        Directory.IssuedKey agent = directory.createPrincipal(admin, "agent", null, false);
        Directory.IssuedKey other = directory.createPrincipal(admin, "other", null, false);
        assertThrows(dev.memos.kernel.error.ForbiddenException.class,
                () -> directory.replaceKey(agent.principal(), other.principal().id()));
        directory.replaceKey(agent.principal(), agent.principal().id());
        assertThrows(UnauthenticatedException.class, () -> directory.authenticate(agent.apiKey()));
        assertThrows(dev.memos.kernel.error.NotFoundException.class, () -> directory.replaceKey(admin, "nobody"));
        assertEquals(other.principal().id(), directory.authenticate(other.apiKey()).id(), "another's key untouched");
    }
}
