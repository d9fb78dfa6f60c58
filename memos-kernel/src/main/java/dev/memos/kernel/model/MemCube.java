package dev.memos.kernel.model;

import dev.memos.kernel.access.Space;
import dev.memos.kernel.error.InvalidException;

import java.util.Objects;

/**
 * The unit of memory: one version of a cube, its payload and its header. Immutable; every change
 * makes a new instance (and a payload change a new version).
 */
public record MemCube(CubeId id, int version, String space, Tier tier, LifecycleState state, Payload payload,
                      Provenance provenance, Temporal time, Governance governance, Usage usage) {

    public MemCube {
        Objects.requireNonNull(id, "id");
        if (version < 1) {
            throw new IllegalArgumentException("version must be 1 or more, was " + version);
        }
        Space.requireName(space);
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(provenance, "provenance");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(governance, "governance");
        usage = usage == null ? Usage.NONE : usage;
        if ((state == LifecycleState.DELETED) != (payload instanceof Payload.Purged)) {
            throw new IllegalArgumentException("a cube's payload is purged exactly when it is DELETED; state "
                    + state + " with " + payload.getClass().getSimpleName());
        }
        boolean textual = payload instanceof TextPayload;
        boolean blob = payload instanceof BlobPayload;
        if ((tier == Tier.PLAINTEXT && blob) || (tier != Tier.PLAINTEXT && textual)) {
            throw new InvalidException("tier", tier + " cubes cannot carry a " + payload.getClass().getSimpleName());
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().id(id).version(version).space(space).tier(tier).state(state).payload(payload)
                .provenance(provenance).time(time).governance(governance).usage(usage);
    }

    /** The text of a plaintext cube, or null for other tiers and tombstones. */
    public String text() {
        return payload instanceof TextPayload text ? text.text() : null;
    }

    public static final class Builder {
        private CubeId id;
        private int version = 1;
        private String space;
        private Tier tier = Tier.PLAINTEXT;
        private LifecycleState state = LifecycleState.GENERATED;
        private Payload payload;
        private Provenance provenance;
        private Temporal time;
        private Governance governance;
        private Usage usage = Usage.NONE;

        private Builder() {
        }

        public Builder id(CubeId value) { this.id = value; return this; }
        public Builder version(int value) { this.version = value; return this; }
        public Builder space(String value) { this.space = value; return this; }
        public Builder tier(Tier value) { this.tier = value; return this; }
        public Builder state(LifecycleState value) { this.state = value; return this; }
        public Builder payload(Payload value) { this.payload = value; return this; }
        public Builder provenance(Provenance value) { this.provenance = value; return this; }
        public Builder time(Temporal value) { this.time = value; return this; }
        public Builder governance(Governance value) { this.governance = value; return this; }
        public Builder usage(Usage value) { this.usage = value; return this; }

        public MemCube build() {
            return new MemCube(id, version, space, tier, state, payload, provenance, time, governance, usage);
        }
    }
}
