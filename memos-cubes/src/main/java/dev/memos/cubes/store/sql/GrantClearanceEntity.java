package dev.memos.cubes.store.sql;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;

/** A sensitivity label a grant is cleared for (or * for all). */
@Entity
@Table(name = "grant_clearance")
@IdClass(GrantClearanceEntity.Key.class)
public class GrantClearanceEntity extends PanacheEntityBase {
    @Id
    @Column(name = "space_name")
    public String spaceName;
    @Id
    @Column(name = "principal_id")
    public String principalId;
    @Id
    public String label;

    public record Key(String spaceName, String principalId, String label) implements Serializable {
        public Key() {
            this(null, null, null);
        }
    }
}
