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

    public record Key(String spaceName, String principalId) implements Serializable {
        public Key() {
            this(null, null);
        }
    }
}
