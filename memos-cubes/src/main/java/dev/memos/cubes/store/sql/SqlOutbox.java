package dev.memos.cubes.store.sql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memos.kernel.event.EventType;
import dev.memos.kernel.event.KernelEvent;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.spi.Outbox;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;

/** The transactional outbox as a table; appended in the caller's transaction. */
@ApplicationScoped
public class SqlOutbox implements Outbox {
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
        try {
            e.data = json.writeValueAsString(event.data());
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException("a string map always serialises", impossible);
        }
        e.persist();
        durability.afterCommitOfThisTransaction();
    }

    /** Committed events about one cube, in the order they were written. */
    public List<KernelEvent> eventsFor(CubeId id) {
        return OutboxEntity.<OutboxEntity>list("cubeId", Sort.by("seq"), id.value()).stream().map(this::event).toList();
    }

    /** Events the relay has not published yet, oldest first. */
    public long pending() {
        return OutboxEntity.count("publishedAt is null");
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
