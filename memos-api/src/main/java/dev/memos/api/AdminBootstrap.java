package dev.memos.api;

import dev.memos.kernel.Directory;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * Makes sure an administrator exists on start. A generated key is written once, readable by the
 * owner only, to {@code <data-dir>/admin.key}; only its hash is stored in the database.
 */
@Singleton
public class AdminBootstrap {
    private static final Logger LOG = Logger.getLogger(AdminBootstrap.class);

    void onStart(@Observes StartupEvent start, Directory directory, MemosConfig config) {
        Optional<String> preset = config.admin().key().filter(k -> !k.isBlank());
        Path file = Path.of(config.dataDir()).resolve("admin.key").toAbsolutePath().normalize();
        // The key file is written inside the transaction that creates the administrator: if the
        // file cannot be written, no administrator exists that nobody holds the key of.
        Optional<String> generated = directory.bootstrapAdmin(preset.orElse(null), key -> write(file, key));
        if (preset.isPresent()) {
            LOG.info("administrator key taken from MEMOS_ADMIN_KEY (memos.admin.key)");
        }
        if (generated.isPresent()) {
            LOG.infof("generated the administrator API key; it is in %s (readable by its owner only)", file);
        }
    }

    private static void write(Path file, String key) {
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, key + "\n", StandardOpenOption.TRUNCATE_EXISTING);
        } catch (FileAlreadyExistsException raced) {
            throw new IllegalStateException("another process wrote " + file + " at the same time", raced);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the administrator key to " + file, e);
        }
    }
}
