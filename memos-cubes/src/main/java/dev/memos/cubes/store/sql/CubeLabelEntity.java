package dev.memos.cubes.store.sql;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.util.UUID;

/** A sensitivity label some version of a cube has carried: what a grant must clear to reach the cube. */
@Entity
@Table(name = "cube_label")
@IdClass(CubeLabelEntity.Key.class)
public class CubeLabelEntity extends PanacheEntityBase {
    @Id
    @Column(name = "cube_id")
    public UUID cubeId;
    @Id
    public String label;

    public record Key(UUID cubeId, String label) implements Serializable {
        public Key() {
            this(null, null);
        }
    }
}
