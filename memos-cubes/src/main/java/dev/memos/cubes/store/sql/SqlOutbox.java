package dev.memos.cubes.store.sql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memos.kernel.access.Role;
import dev.memos.kernel.event.Decision;
import dev.memos.kernel.event.EventType;
import dev.memos.kernel.event.KernelEvent;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.spi.Outbox;
import dev.memos.kernel.spi.OutboxQueue;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** The transactional outbox as a table; appended in the caller's transaction. */
@ApplicationScoped
public class SqlOutbox implements Outbox, OutboxQueue {
    private static final TypeReference<Map<String, String>> DATA = new TypeReference<>() {
    };
    private final ObjectMapper json;
    private final H2Durability durability;

    public SqlOutbox(ObjectMapper json, H2Durability durability) {
        this.json = json;
        this.durability = durability;
    }

    @Override
    public void append(KernelEvent event) {
        OutboxEntity e = new OutboxEntity();
        e.eventId = event.eventId();
        e.type = event.type().wireName();
        e.spaceName = event.space();
        e.cubeId = event.cubeId() == null ? null : event.cubeId().value();
        e.version = event.version();
        e.actor = event.actor();
        e.occurredAt = event.occurredAt();
        e.data = data(event);
        e.persistAndFlush();
        OutboxEntity.getEntityManager().detach(e); // see SqlCubeStore.insert: no dirty check for it later
        durability.afterCommitOfThisTransaction();
    }

    @Override
    public void scrub(CubeId cube) {
        for (OutboxEntity e : OutboxEntity.<OutboxEntity>list("cubeId", cube.value())) {
            KernelEvent event = event(e);
            if (event.data().containsKey(KernelEvent.REASON)) {
                e.data = data(event.scrubbed());
            }
        }
    }

    @Override
    public void forgetSpace(String space) {
        OutboxEntity.delete("spaceName = ?1 and type <> ?2", space, EventType.SPACE_DELETED.wireName());
    }

    /** Committed events about one cube, in the order they were written. */
    public List<KernelEvent> eventsFor(CubeId id) {
        return OutboxEntity.<OutboxEntity>list("cubeId", Sort.by("seq"), id.value()).stream().map(this::event).toList();
    }

    /**
     * memos' own decisions (events whose actor is the scheduler) and the tier migrations principals asked for
     * (events whose data names the policy {@code migration}) about cubes of a space, newest first, before the
     * position {@code beforeSeq} when given; nothing unless {@code principalId} holds a grant (any role) on the space.
     * Event data is JSON written by memos, where a value's quotes are escaped, so the pattern matches the key and
     * value only.
     */
    public List<Pending> decisions(String space, String principalId, Long beforeSeq, int limit) {
        var query = Panache.getEntityManager().createQuery("select o from OutboxEntity o where o.spaceName = :space"
                        + " and (o.actor = :actor or o.data like :migration)" + (beforeSeq == null ? "" : " and o.seq < :before")
                        + " and exists (select g from GrantEntity g where g.spaceName = o.spaceName"
                        + " and g.principalId = :principal and g.role in " + SqlSystemCubeStore.roleList(Role.READ) + ")"
                        + " order by o.seq desc", OutboxEntity.class)
                .setParameter("space", space)
                .setParameter("actor", Decision.SCHEDULER)
                .setParameter("migration", "%\"policy\":\"" + dev.memos.kernel.Tiers.MIGRATION + "\"%")
                .setParameter("principal", principalId)
                .setMaxResults(limit);
        if (beforeSeq != null) {
            query.setParameter("before", beforeSeq);
        }
        return query.getResultList().stream().map(e -> new Pending(e.seq, event(e))).toList();
    }

    @Override
    public List<Pending> after(long seq, int limit) {
        return OutboxEntity.<OutboxEntity>find("seq > ?1", Sort.by("seq"), seq).page(0, limit).list().stream()
                .map(e -> new Pending(e.seq, event(e))).toList();
    }

    @Override
    public List<Pending> pending(long after, long upTo, int limit) {
        return OutboxEntity.<OutboxEntity>find("publishedAt is null and seq > ?1 and seq <= ?2", Sort.by("seq"), after, upTo)
                .page(0, limit).list().stream().map(e -> new Pending(e.seq, event(e))).toList();
    }

    /** Locks the single row of {@code relay_claim} (V14) until the transaction ends. */
    @Override
    public void claimPublishing() {
        Panache.getEntityManager().createNativeQuery("select id from relay_claim where id = 1 for update")
                .getResultList();
    }

    @Override
    public long lastSeq() {
        Long max = Panache.getEntityManager().createQuery("select max(o.seq) from OutboxEntity o", Long.class)
                .getSingleResult();
        return max == null ? 0 : max;
    }

    @Override
    public void markPublished(Collection<Long> seqs, Instant at) {
        if (!seqs.isEmpty()) {
            OutboxEntity.update("publishedAt = ?1 where seq in ?2", at, List.copyOf(seqs));
        }
    }

    @Override
    public long lastSeq(Collection<String> spaces) {
        Long max = Panache.getEntityManager()
                .createQuery("select max(o.seq) from OutboxEntity o where o.spaceName in :spaces", Long.class)
                .setParameter("spaces", spaces).getSingleResult();
        return max == null ? 0 : max;
    }

    @Override
    public boolean pendingUpTo(Collection<String> spaces, long seq) {
        return OutboxEntity.count("publishedAt is null and spaceName in ?1 and seq <= ?2", List.copyOf(spaces), seq) > 0;
    }

    @Override
    public Backlog backlog(Collection<String> spaces) {
        String where = " where o.publishedAt is null" + (spaces == null ? "" : " and o.spaceName in :spaces");
        var count = Panache.getEntityManager().createQuery("select count(o) from OutboxEntity o" + where, Long.class);
        // the first unpublished event in seq order, found in the index on (published_at, seq): min(occurredAt) would
        // read every unpublished row, seconds at a backlog of a million (a metrics scrape asks for it)
        var oldest = Panache.getEntityManager().createQuery("select o.occurredAt from OutboxEntity o" + where
                + " order by o.seq", Instant.class).setMaxResults(1);
        if (spaces != null) {
            count.setParameter("spaces", List.copyOf(spaces));
            oldest.setParameter("spaces", List.copyOf(spaces));
        }
        return new Backlog(count.getSingleResult(), oldest.getResultStream().findFirst().orElse(null));
    }

    private String data(KernelEvent event) {
        try {
            return json.writeValueAsString(event.data());
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException("a string map always serialises", impossible);
        }
    }

    private KernelEvent event(OutboxEntity e) {
        try {
            return new KernelEvent(e.eventId, EventType.fromWireName(e.type), e.spaceName,
                    e.cubeId == null ? null : new CubeId(e.cubeId), e.version, e.actor, e.occurredAt,
                    json.readValue(e.data, DATA));
        } catch (JsonProcessingException corrupt) {
            throw new IllegalStateException("outbox row " + e.seq + " holds unreadable data", corrupt);
        }
    }
}
