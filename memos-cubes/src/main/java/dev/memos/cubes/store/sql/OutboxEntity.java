package dev.memos.cubes.store.sql;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A committed kernel event waiting for (or done with) the relay. {@code seq} orders them. */
@Entity
@Table(name = "outbox")
public class OutboxEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long seq;
    @Column(name = "event_id")
    public UUID eventId;
    public String type;
    @Column(name = "space_name")
    public String spaceName;
    @Column(name = "cube_id")
    public UUID cubeId;
    public int version;
    public String actor;
    @Column(name = "occurred_at")
    public Instant occurredAt;
    public String data;
    @Column(name = "published_at")
    public Instant publishedAt;
}
