package dev.memos.cubes.store.sql;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;

@Entity
@Table(name = "space_grant")
@IdClass(GrantEntity.Key.class)
public class GrantEntity extends PanacheEntityBase {
    @Id
    @Column(name = "space_name")
    public String spaceName;
    @Id
    @Column(name = "principal_id")
    public String principalId;
    public String role;
    @Column(name = "granted_at")
    public Instant grantedAt;
    /** Cleared for every label ({@code *}): the clearance rows need not be consulted. */
    @Column(name = "clear_all")
    public boolean clearAll;
    /** Bound to the purposes in its purpose rows. */
    @Column(name = "purpose_bound")
    public boolean purposeBound;

    public record Key(String spaceName, String principalId) implements Serializable {
        public Key() {
            this(null, null);
        }
    }
}
