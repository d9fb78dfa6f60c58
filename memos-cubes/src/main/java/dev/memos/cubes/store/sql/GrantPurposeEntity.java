package dev.memos.cubes.store.sql;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;

/** A purpose a grant is bound to. */
@Entity
@Table(name = "grant_purpose")
@IdClass(GrantPurposeEntity.Key.class)
public class GrantPurposeEntity extends PanacheEntityBase {
    @Id
    @Column(name = "space_name")
    public String spaceName;
    @Id
    @Column(name = "principal_id")
    public String principalId;
    @Id
    public String purpose;

    public record Key(String spaceName, String principalId, String purpose) implements Serializable {
        public Key() {
            this(null, null, null);
        }
    }
}
