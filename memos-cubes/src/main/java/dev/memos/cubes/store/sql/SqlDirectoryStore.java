package dev.memos.cubes.store.sql;

import dev.memos.kernel.access.Grant;
import dev.memos.kernel.access.Principal;
import dev.memos.kernel.access.Role;
import dev.memos.kernel.access.Space;
import dev.memos.kernel.access.SpaceView;
import dev.memos.kernel.error.ConflictException;
import dev.memos.kernel.spi.DirectoryStore;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;

/** Principals, spaces and grants on a relational database through Hibernate ORM with Panache. */
@ApplicationScoped
public class SqlDirectoryStore implements DirectoryStore {

    private static Principal principal(PrincipalEntity e) {
        return new Principal(e.id, e.name, Principal.Kind.valueOf(e.kind), e.admin, e.createdAt);
    }

    private static Space space(SpaceEntity e) {
        return new Space(e.name, e.description, e.createdBy, e.createdAt);
    }

    private static Grant grant(GrantEntity e) {
        return new Grant(e.spaceName, e.principalId, Role.valueOf(e.role), e.grantedAt);
    }

    @Override
    public Optional<Principal> principalByKeyHash(String keyHash) {
        return PrincipalEntity.<PrincipalEntity>find("keyHash", keyHash).firstResultOptional().map(SqlDirectoryStore::principal);
    }

    @Override
    public Optional<Principal> principal(String id) {
        return PrincipalEntity.<PrincipalEntity>findByIdOptional(id).map(SqlDirectoryStore::principal);
    }

    @Override
    public Optional<Principal> firstAdmin() {
        return PrincipalEntity.<PrincipalEntity>find("admin", Sort.by("createdAt").and("id"), true)
                .firstResultOptional().map(SqlDirectoryStore::principal);
    }

    @Override
    public void insertPrincipal(Principal principal, String keyHash) {
        PrincipalEntity e = new PrincipalEntity();
        e.id = principal.id();
        e.name = principal.name();
        e.kind = principal.kind().name();
        e.admin = principal.admin();
        e.keyHash = keyHash;
        e.createdAt = principal.createdAt();
        SqlErrors.translate("creating principal " + principal.name(), () -> {
            e.persistAndFlush();
            return null;
        });
    }

    @Override
    public void updateKeyHash(String principalId, String keyHash) {
        PrincipalEntity.update("keyHash = ?1 where id = ?2", keyHash, principalId);
    }

    @Override
    public void insertSpace(Space space) {
        if (SpaceEntity.findByIdOptional(space.name()).isPresent()) {
            throw new ConflictException("a space named '" + space.name() + "' exists already");
        }
        SpaceEntity e = new SpaceEntity();
        e.name = space.name();
        e.description = space.description();
        e.createdBy = space.createdBy();
        e.createdAt = space.createdAt();
        SqlErrors.translate("creating space " + space.name(), () -> {
            e.persistAndFlush();
            return null;
        });
    }

    @Override
    public Optional<SpaceView> space(String name, String principalId) {
        return Panache.getEntityManager().createQuery("select s, g from SpaceEntity s, GrantEntity g"
                        + " where g.spaceName = s.name and s.name = :name and g.principalId = :principal", Object[].class)
                .setParameter("name", name)
                .setParameter("principal", principalId)
                .getResultList().stream()
                .map(r -> new SpaceView(space((SpaceEntity) r[0]), Role.valueOf(((GrantEntity) r[1]).role)))
                .findFirst();
    }

    @Override
    public List<SpaceView> spaces(String principalId) {
        return Panache.getEntityManager().createQuery("select s, g from SpaceEntity s, GrantEntity g"
                        + " where g.spaceName = s.name and g.principalId = :principal order by s.name", Object[].class)
                .setParameter("principal", principalId)
                .getResultList().stream()
                .map(r -> new SpaceView(space((SpaceEntity) r[0]), Role.valueOf(((GrantEntity) r[1]).role)))
                .toList();
    }

    @Override
    public List<Grant> grants(String space) {
        return GrantEntity.<GrantEntity>list("spaceName", Sort.by("principalId"), space).stream()
                .map(SqlDirectoryStore::grant).toList();
    }

    @Override
    public void putGrant(Grant grant) {
        GrantEntity e = GrantEntity.<GrantEntity>findByIdOptional(new GrantEntity.Key(grant.space(), grant.principalId()))
                .orElseGet(GrantEntity::new);
        e.spaceName = grant.space();
        e.principalId = grant.principalId();
        e.role = grant.role().name();
        e.grantedAt = grant.grantedAt();
        SqlErrors.translate("granting " + grant.role() + " on " + grant.space(), () -> {
            e.persistAndFlush();
            return null;
        });
    }

    @Override
    public boolean deleteGrant(String space, String principalId) {
        return GrantEntity.delete("spaceName = ?1 and principalId = ?2", space, principalId) > 0;
    }

    @Override
    public long countGrants(String space, Role role) {
        return GrantEntity.count("spaceName = ?1 and role = ?2", space, role.name());
    }

    @Override
    public void deleteSpace(String space) {
        GrantEntity.delete("spaceName", space);
        SpaceEntity.deleteById(space);
    }
}
