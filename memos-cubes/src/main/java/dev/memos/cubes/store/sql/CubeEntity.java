package dev.memos.cubes.store.sql;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** One row per cube: identity, lifecycle, the live version's filterable header, and usage. */
@Entity
@Table(name = "cube")
public class CubeEntity extends PanacheEntityBase {
    @Id
    public UUID id;
    @Column(name = "space_name")
    public String spaceName;
    public String tier;
    public String state;
    public int version;
    public String kind;
    @Column(name = "owner_id")
    public String ownerId;
    @Column(name = "idempotency_key")
    public String idempotencyKey;
    @Column(name = "valid_from")
    public Instant validFrom;
    @Column(name = "valid_to")
    public Instant validTo;
    @Column(name = "expires_at")
    public Instant expiresAt;
    public int priority;
    /** When the live version was recorded. */
    @Column(name = "recorded_at")
    public Instant recordedAt;
    @Column(name = "access_count")
    public long accessCount;
    @Column(name = "last_accessed_at")
    public Instant lastAccessedAt;
    public double heat;
    /** When the cube starts to count as idle: its last access, postponed by recalls (Heat#idleFrom). */
    @Column(name = "idle_from")
    public Instant idleFrom;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
}
