package dev.memos.api.wire;

import dev.memos.kernel.model.BlobPayload;
import dev.memos.kernel.model.LifecycleState;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.model.Operation;
import dev.memos.kernel.model.Source;
import dev.memos.kernel.model.TextPayload;
import dev.memos.kernel.model.Tier;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A cube version on the wire. {@code text}, {@code kind} and {@code tags} are set for plaintext
 * cubes, {@code blob} for activation and parameter cubes; a DELETED cube carries neither.
 */
public record CubeView(String id, int version, String space, Tier tier, LifecycleState state, String text,
                       String kind, List<String> tags, Blob blob, ProvenanceView provenance, TimeView time,
                       GovernanceView governance, UsageView usage) {

    /** This view with another text (an export that redacts). */
    public CubeView withText(String other) {
        return new CubeView(id, version, space, tier, state, other, kind, tags, blob, provenance, time, governance, usage);
    }

    /** @param attributes what the blob is valid for (model, context, adapters, token count, rank …) */
    public record Blob(String sha256, long size, String mediaType, String model, java.util.Map<String, String> attributes) {
    }

    public record ProvenanceView(Source source, String sourceRef, String actor, String sessionId,
                                 Operation operation, List<String> derivedFrom) {
    }

    public record TimeView(Instant validFrom, Instant validTo, Instant recordedAt, Instant supersededAt) {
    }

    public record GovernanceView(String owner, Instant expiresAt, int priority, Set<String> sensitivity,
                                 String purpose, String subject) {
    }

    public record UsageView(long accessCount, Instant lastAccessedAt, double heat) {
    }

    private static List<String> sources(List<dev.memos.kernel.model.CubeId> derivedFrom,
                                        java.util.Set<dev.memos.kernel.model.CubeId> readable) {
        List<String> shown = new java.util.ArrayList<>(derivedFrom.size());
        int hidden = 0;
        for (dev.memos.kernel.model.CubeId source : derivedFrom) {
            shown.add(readable == null || readable.contains(source) ? source.toString() : "redacted-" + ++hidden);
        }
        return shown;
    }

    /** A source the exporting reader could not see: an import does not link it. */
    static boolean redacted(String source) {
        return source.startsWith("redacted-");
    }

    /** The cube version this view describes (an import); a view that breaks a model rule is invalid input. */
    public MemCube toCube() {
        try {
            dev.memos.kernel.model.Payload payload = blob != null
                    ? new dev.memos.kernel.model.BlobPayload(blob.sha256(), blob.size(), blob.mediaType(), blob.model(),
                    blob.attributes())
                    : text != null ? new TextPayload(text, kind, tags) : dev.memos.kernel.model.Payload.Purged.INSTANCE;
            ProvenanceView p = java.util.Objects.requireNonNull(provenance, "provenance");
            GovernanceView g = java.util.Objects.requireNonNull(governance, "governance");
            TimeView t = java.util.Objects.requireNonNull(time, "time");
            return MemCube.builder().id(dev.memos.kernel.model.CubeId.parse(id)).version(version).space(space)
                    .tier(tier).state(state).payload(payload)
                    .provenance(new dev.memos.kernel.model.Provenance(p.source(), p.sourceRef(), p.actor(), p.sessionId(),
                            p.operation(), p.derivedFrom() == null ? List.of() : p.derivedFrom().stream()
                            .filter(source -> source == null || !redacted(source))
                            .map(dev.memos.kernel.model.CubeId::parse).toList()))
                    .time(new dev.memos.kernel.model.Temporal(t.validFrom(), t.validTo(), t.recordedAt(), t.supersededAt()))
                    .governance(new dev.memos.kernel.model.Governance(g.owner(), g.expiresAt(), g.priority(),
                            g.sensitivity(), g.purpose(), g.subject()))
                    .build();
        } catch (dev.memos.kernel.error.InvalidException e) {
            throw new dev.memos.kernel.error.InvalidException("versions", "version " + version + ": " + e.getMessage());
        } catch (NullPointerException e) {
            throw new dev.memos.kernel.error.InvalidException("versions", "version " + version + ": "
                    + (e.getMessage() == null ? "a required field" : e.getMessage()) + " is missing");
        } catch (IllegalArgumentException e) {
            throw new dev.memos.kernel.error.InvalidException("versions", "version " + version + ": " + e.getMessage());
        }
    }

    /** The view of a cube whose sources the reader may all see (its own writes, imports). */
    public static CubeView of(MemCube c) {
        return of(c, null);
    }

    /**
     * The view for a reader who may read only {@code readable} of the cube's sources: the others are named
     * {@code redacted-<n>} (numbered in order), as the lineage view names them. Null: every source is shown.
     */
    public static CubeView of(MemCube c, java.util.Set<dev.memos.kernel.model.CubeId> readable) {
        TextPayload text = c.payload() instanceof TextPayload t ? t : null;
        Blob blob = c.payload() instanceof BlobPayload b ? new Blob(b.sha256(), b.size(), b.mediaType(), b.model(),
                b.attributes()) : null;
        var p = c.provenance();
        var g = c.governance();
        return new CubeView(c.id().toString(), c.version(), c.space(), c.tier(), c.state(),
                text == null ? null : text.text(), text == null ? null : text.kind(), text == null ? null : text.tags(),
                blob,
                new ProvenanceView(p.source(), p.sourceRef(), p.actor(), p.sessionId(), p.operation(),
                        sources(p.derivedFrom(), readable)),
                new TimeView(c.time().validFrom(), c.time().validTo(), c.time().recordedAt(), c.time().supersededAt()),
                new GovernanceView(g.owner(), g.expiresAt(), g.priority(), g.sensitivity(), g.purpose(), g.subject()),
                new UsageView(c.usage().accessCount(), c.usage().lastAccessedAt(), c.usage().heat()));
    }
}
