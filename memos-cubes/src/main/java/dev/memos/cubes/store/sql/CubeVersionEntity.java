package dev.memos.cubes.store.sql;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

/** One version of one cube: its payload and the header as it was when the version was written. */
@Entity
@Table(name = "cube_version")
@IdClass(CubeVersionEntity.Key.class)
public class CubeVersionEntity extends PanacheEntityBase {
    @Id
    @Column(name = "cube_id")
    public UUID cubeId;
    @Id
    public int version;
    public String text;
    public String kind;
    public String tags;
    @Column(name = "blob_sha256")
    public String blobSha256;
    @Column(name = "blob_size")
    public Long blobSize;
    @Column(name = "blob_media_type")
    public String blobMediaType;
    @Column(name = "blob_model")
    public String blobModel;
    /** {@code key=value} lines, sorted by key. */
    @Column(name = "blob_attributes")
    public String blobAttributes;
    public boolean purged;
    public String source;
    @Column(name = "source_ref")
    public String sourceRef;
    public String actor;
    @Column(name = "session_id")
    public String sessionId;
    public String operation;
    @Column(name = "derived_from")
    public String derivedFrom;
    @Column(name = "valid_from")
    public Instant validFrom;
    @Column(name = "valid_to")
    public Instant validTo;
    @Column(name = "recorded_at")
    public Instant recordedAt;
    @Column(name = "superseded_at")
    public Instant supersededAt;
    @Column(name = "owner_id")
    public String ownerId;
    @Column(name = "expires_at")
    public Instant expiresAt;
    public int priority;
    public String sensitivity;
    public String purpose;
    /** The data subject: the person the version is about. */
    public String subject;

    public record Key(UUID cubeId, int version) implements Serializable {
        public Key() {
            this(null, 0);
        }
    }
}
