package dev.memos.cubes.store.sql;

import dev.memos.kernel.model.BlobPayload;
import dev.memos.kernel.model.CubeHead;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.Governance;
import dev.memos.kernel.model.LifecycleState;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.model.Operation;
import dev.memos.kernel.model.Payload;
import dev.memos.kernel.model.Provenance;
import dev.memos.kernel.model.Source;
import dev.memos.kernel.model.Temporal;
import dev.memos.kernel.model.TextPayload;
import dev.memos.kernel.model.Tier;
import dev.memos.kernel.model.Usage;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Maps between kernel cubes and rows. Label lists (tags, sensitivity) and id lists are stored
 * comma-joined: labels cannot contain a comma, so the encoding is exact.
 */
public final class Rows {
    private Rows() {
    }

    static MemCube cube(CubeEntity c, CubeVersionEntity v) {
        Payload payload;
        if (v.purged) {
            payload = Payload.Purged.INSTANCE;
        } else if (v.blobSha256 != null) {
            payload = new BlobPayload(v.blobSha256, v.blobSize, v.blobMediaType, v.blobModel, attributes(v.blobAttributes));
        } else {
            payload = new TextPayload(v.text, v.kind, split(v.tags));
        }
        return MemCube.builder()
                .id(new CubeId(c.id))
                .version(v.version)
                .space(c.spaceName)
                .tier(Tier.valueOf(c.tier))
                .state(LifecycleState.valueOf(c.state))
                .payload(payload)
                .provenance(new Provenance(Source.valueOf(v.source), v.sourceRef, v.actor, v.sessionId,
                        Operation.valueOf(v.operation), split(v.derivedFrom).stream().map(CubeId::parse).toList()))
                .time(new Temporal(v.validFrom, v.validTo, v.recordedAt, v.supersededAt))
                .governance(new Governance(v.ownerId, v.expiresAt, v.priority, new LinkedHashSet<>(split(v.sensitivity)),
                        v.purpose, v.subject))
                .usage(new Usage(c.accessCount, c.lastAccessedAt, c.heat))
                .build();
    }

    static CubeHead head(CubeEntity c) {
        return new CubeHead(new CubeId(c.id), c.version, c.spaceName, Tier.valueOf(c.tier), LifecycleState.valueOf(c.state),
                c.kind, c.validFrom, c.validTo, c.recordedAt, c.priority, new Usage(c.accessCount, c.lastAccessedAt, c.heat));
    }

    static CubeEntity cubeRow(MemCube cube, String idempotencyKey, Instant at) {
        CubeEntity c = new CubeEntity();
        c.id = cube.id().value();
        c.spaceName = cube.space();
        c.tier = cube.tier().name();
        c.state = cube.state().name();
        c.version = cube.version();
        c.kind = kind(cube);
        c.ownerId = cube.governance().owner();
        c.idempotencyKey = idempotencyKey;
        c.validFrom = cube.time().validFrom();
        c.validTo = cube.time().validTo();
        c.expiresAt = cube.governance().expiresAt();
        c.priority = cube.governance().priority();
        c.recordedAt = cube.time().recordedAt();
        c.createdAt = at;
        c.updatedAt = at;
        return c;
    }

    static CubeVersionEntity versionRow(MemCube cube) {
        CubeVersionEntity v = new CubeVersionEntity();
        v.cubeId = cube.id().value();
        v.version = cube.version();
        switch (cube.payload()) {
            case TextPayload text -> {
                v.text = text.text();
                v.kind = text.kind();
                v.tags = join(text.tags());
            }
            case BlobPayload blob -> {
                v.blobSha256 = blob.sha256();
                v.blobSize = blob.size();
                v.blobMediaType = blob.mediaType();
                v.blobModel = blob.model();
                v.blobAttributes = blob.attributes().isEmpty() ? null : String.join("\n", blob.attributes().entrySet()
                        .stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
            }
            case Payload.Purged purged -> v.purged = true;
        }
        Provenance p = cube.provenance();
        v.source = p.source().name();
        v.sourceRef = p.sourceRef();
        v.actor = p.actor();
        v.sessionId = p.sessionId();
        v.operation = p.operation().name();
        v.derivedFrom = join(p.derivedFrom().stream().map(CubeId::toString).toList());
        v.validFrom = cube.time().validFrom();
        v.validTo = cube.time().validTo();
        v.recordedAt = cube.time().recordedAt();
        v.supersededAt = cube.time().supersededAt();
        Governance g = cube.governance();
        v.ownerId = g.owner();
        v.expiresAt = g.expiresAt();
        v.priority = g.priority();
        v.sensitivity = join(g.sensitivity());
        v.purpose = g.purpose();
        v.subject = g.subject();
        return v;
    }

    static List<String> tags(MemCube cube) {
        return cube.payload() instanceof TextPayload text ? text.tags() : List.of();
    }

    static String kind(MemCube cube) {
        return cube.payload() instanceof TextPayload text ? text.kind() : null;
    }

    private static java.util.Map<String, String> attributes(String lines) {
        java.util.Map<String, String> attributes = new java.util.TreeMap<>();
        if (lines != null) {
            for (String line : lines.split("\n")) {
                int eq = line.indexOf('=');
                attributes.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return attributes;
    }

    private static String join(Collection<String> values) {
        return values.isEmpty() ? null : String.join(",", values);
    }

    private static List<String> split(String joined) {
        return joined == null || joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
    }

    /** An instant from what a native query returns for a timestamp column (H2 and PostgreSQL differ). */
    public static Instant instant(Object value) {
        return switch (value) {
            case Instant i -> i;
            case java.time.OffsetDateTime o -> o.toInstant();
            case java.sql.Timestamp t -> t.toInstant();
            default -> throw new IllegalStateException("unexpected timestamp type " + value.getClass());
        };
    }

    /** A uuid column as a native query returns it: H2 gives its 16 bytes, PostgreSQL a UUID. */
    public static java.util.UUID uuid(Object value) {
        return switch (value) {
            case java.util.UUID u -> u;
            case byte[] b when b.length == 16 -> {
                java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(b);
                yield new java.util.UUID(buffer.getLong(), buffer.getLong());
            }
            default -> java.util.UUID.fromString(value.toString());
        };
    }

    /** A text cut to a column's length (null stays null); a cut text ends in an ellipsis. */
    public static String clip(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
