package dev.memos.cubes.store.sql;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.util.UUID;

/** A tag of a cube's live version, kept in its own table so tag filters use an index. */
@Entity
@Table(name = "cube_tag")
@IdClass(CubeTagEntity.Key.class)
public class CubeTagEntity extends PanacheEntityBase {
    @Id
    @Column(name = "cube_id")
    public UUID cubeId;
    @Id
    public String tag;

    public record Key(UUID cubeId, String tag) implements Serializable {
        public Key() {
            this(null, null);
        }
    }
}
