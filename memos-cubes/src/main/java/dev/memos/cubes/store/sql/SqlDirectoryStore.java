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

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Principals, spaces and grants on a relational database through Hibernate ORM with Panache. */
@ApplicationScoped
public class SqlDirectoryStore implements DirectoryStore {

    private static Principal principal(PrincipalEntity e) {
        return new Principal(e.id, e.name, Principal.Kind.valueOf(e.kind), e.admin, e.createdAt);
    }

    private static Space space(SpaceEntity e) {
        return new Space(e.name, e.description, e.createdBy, e.createdAt);
    }

    private static Grant grant(GrantEntity e, Map<String, Set<String>> clearances, Map<String, Set<String>> purposes) {
        return new Grant(e.spaceName, e.principalId, Role.valueOf(e.role), e.grantedAt,
                clearances.getOrDefault(e.principalId, Set.of()), purposes.getOrDefault(e.principalId, Set.of()));
    }

    /** The clearance or purpose rows of a space's grants, by principal. */
    private static Map<String, Set<String>> byPrincipal(String entity, String field, String space) {
        Map<String, Set<String>> rows = new HashMap<>();
        Panache.getEntityManager().createQuery("select x.principalId, x." + field + " from " + entity
                        + " x where x.spaceName = :space", Object[].class)
                .setParameter("space", space)
                .getResultList()
                .forEach(r -> rows.computeIfAbsent((String) r[0], k -> new TreeSet<>()).add((String) r[1]));
        return rows;
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
        Map<String, Set<String>> clearances = byPrincipal("GrantClearanceEntity", "label", space);
        Map<String, Set<String>> purposes = byPrincipal("GrantPurposeEntity", "purpose", space);
        return GrantEntity.<GrantEntity>list("spaceName", Sort.by("principalId"), space).stream()
                .map(e -> grant(e, clearances, purposes)).toList();
    }

    @Override
    public void putGrant(Grant grant) {
        GrantEntity e = GrantEntity.<GrantEntity>findByIdOptional(new GrantEntity.Key(grant.space(), grant.principalId()))
                .orElseGet(GrantEntity::new);
        e.spaceName = grant.space();
        e.principalId = grant.principalId();
        e.role = grant.role().name();
        e.grantedAt = grant.grantedAt();
        e.clearAll = grant.clearsAll();
        e.purposeBound = grant.purposeBound();
        SqlErrors.translate("granting " + grant.role() + " on " + grant.space(), () -> {
            e.persistAndFlush();
            deleteConditions(grant.space(), grant.principalId());
            for (String label : grant.clearances()) {
                GrantClearanceEntity row = new GrantClearanceEntity();
                row.spaceName = grant.space();
                row.principalId = grant.principalId();
                row.label = label;
                row.persist();
            }
            for (String purpose : grant.purposes()) {
                GrantPurposeEntity row = new GrantPurposeEntity();
                row.spaceName = grant.space();
                row.principalId = grant.principalId();
                row.purpose = purpose;
                row.persist();
            }
            Panache.getEntityManager().flush();
            return null;
        });
    }

    private static void deleteConditions(String space, String principalId) {
        GrantClearanceEntity.delete("spaceName = ?1 and principalId = ?2", space, principalId);
        GrantPurposeEntity.delete("spaceName = ?1 and principalId = ?2", space, principalId);
    }

    @Override
    public boolean deleteGrant(String space, String principalId) {
        deleteConditions(space, principalId);
        return GrantEntity.delete("spaceName = ?1 and principalId = ?2", space, principalId) > 0;
    }

    @Override
    public long countGrants(String space, Role role) {
        return GrantEntity.count("spaceName = ?1 and role = ?2", space, role.name());
    }

    @Override
    public void deleteSpace(String space) {
        GrantClearanceEntity.delete("spaceName", space);
        GrantPurposeEntity.delete("spaceName", space);
        GrantEntity.delete("spaceName", space);
        SpaceEntity.deleteById(space);
    }
}
