package dev.memos.cubes.store.sql;

import dev.memos.kernel.error.ConflictException;
import dev.memos.kernel.model.Sha256;
import dev.memos.kernel.spi.BlobStore;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Blobs in the memos database (tables {@code blob} and {@code blob_chunk}), in chunks of 1 MiB: every node on a
 * shared PostgreSQL sees every blob, and a blob commits or rolls back with the cube that names it
 * (docs/adr/0008-tier-blobs-in-the-database.md). Runs in the caller's transaction.
 */
@ApplicationScoped
public class SqlBlobStore implements BlobStore {
    static final int CHUNK = 1 << 20;

    private static EntityManager em() {
        return Panache.getEntityManager();
    }

    @Override
    public String put(byte[] content) {
        String sha256 = Sha256.of(content);
        if (exists(sha256)) {
            return sha256;
        }
        int chunks = (content.length + CHUNK - 1) / CHUNK;
        em().createNativeQuery("insert into blob (sha256, size, chunks, created_at) values (?1, ?2, ?3, ?4)")
                .setParameter(1, sha256).setParameter(2, (long) content.length).setParameter(3, chunks)
                .setParameter(4, Instant.now()).executeUpdate();
        for (int i = 0; i < chunks; i++) {
            byte[] chunk = java.util.Arrays.copyOfRange(content, i * CHUNK, Math.min(content.length, (i + 1) * CHUNK));
            em().createNativeQuery("insert into blob_chunk (sha256, seq, content) values (?1, ?2, ?3)")
                    .setParameter(1, sha256).setParameter(2, i).setParameter(3, chunk).executeUpdate();
        }
        return sha256;
    }

    @Override
    public Optional<byte[]> get(String sha256) {
        List<?> size = em().createNativeQuery("select size from blob where sha256 = ?1").setParameter(1, sha256)
                .getResultList();
        if (size.isEmpty()) {
            return Optional.empty();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) ((Number) size.getFirst()).longValue());
        List<?> chunks = em().createNativeQuery("select content from blob_chunk where sha256 = ?1 order by seq")
                .setParameter(1, sha256).getResultList();
        for (Object chunk : chunks) {
            out.writeBytes((byte[]) chunk);
        }
        byte[] content = out.toByteArray();
        String actual = Sha256.of(content);
        if (!actual.equals(sha256)) {
            throw new ConflictException("blob " + sha256 + " is damaged: its " + content.length
                    + " stored bytes have SHA-256 " + actual);
        }
        return Optional.of(content);
    }

    @Override
    public boolean exists(String sha256) {
        return !em().createNativeQuery("select 1 from blob where sha256 = ?1").setParameter(1, sha256)
                .getResultList().isEmpty();
    }

    /** Deletes those of {@code candidates} that no cube version names any more (called by the cube store's purge). */
    static void deleteUnreferenced(EntityManager em, Collection<String> candidates) {
        for (String sha256 : candidates) {
            boolean named = !em.createNativeQuery("select 1 from cube_version where blob_sha256 = ?1")
                    .setParameter(1, sha256).setMaxResults(1).getResultList().isEmpty();
            if (!named) {
                em.createNativeQuery("delete from blob_chunk where sha256 = ?1").setParameter(1, sha256).executeUpdate();
                em.createNativeQuery("delete from blob where sha256 = ?1").setParameter(1, sha256).executeUpdate();
            }
        }
    }
}
