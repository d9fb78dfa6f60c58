package dev.memos.kernel;

import dev.memos.kernel.event.Decision;
import dev.memos.kernel.event.EventType;
import dev.memos.kernel.event.KernelEvent;
import dev.memos.kernel.lineage.VersionRef;
import dev.memos.kernel.model.BlobPayload;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.LifecycleState;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.model.Tier;
import dev.memos.kernel.spi.CubeStore;
import dev.memos.kernel.spi.Outbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.memos.kernel.Tiers.SOURCES;

/** Activation cubes and the plaintext cubes they were compiled from. */
public final class Activations {
    private Activations() {
    }

    /** {@code id@version,…} in the order given. */
    static String sourceList(List<MemCube> sources) {
        return String.join(",", sources.stream().map(c -> c.id() + "@" + c.version()).toList());
    }

    /** The source versions an activation cube was compiled from, from its attributes. */
    public static List<VersionRef> sources(MemCube activation) {
        String list = activation.payload() instanceof BlobPayload b ? b.attributes().get(SOURCES) : null;
        if (list == null || list.isEmpty()) {
            return List.of();
        }
        List<VersionRef> refs = new ArrayList<>();
        for (String item : list.split(",")) {
            int at = item.indexOf('@');
            refs.add(new VersionRef(CubeId.parse(item.substring(0, at)), Integer.parseInt(item.substring(at + 1))));
        }
        return refs;
    }

    /**
     * An activation cube holds the KV state of its sources' text: when a source is deleted, so is every activation
     * cube compiled from it, in the deleting transaction (the blob with it), on memos' own decision. Returns them.
     */
    static List<CubeId> deleteActivationsOf(CubeStore cubes, Outbox outbox, java.time.Instant now, MemCube source) {
        if (source.tier() != Tier.PLAINTEXT) {
            return List.of();
        }
        List<CubeId> deleted = new ArrayList<>();
        for (MemCube activation : cubes.findInTier(source.space(), Tier.ACTIVATION, null, 10_000)) {
            if (sources(activation).stream().anyMatch(ref -> ref.cube().equals(source.id()))) {
                cubes.moveForSystem(activation.id(), activation.state(), LifecycleState.DELETED, now);
                outbox.append(new KernelEvent(UUID.randomUUID(), EventType.CUBE_DELETED, activation.space(),
                        activation.id(), activation.version(), Decision.SCHEDULER, now, Map.of("from",
                        activation.state().name(), "to", LifecycleState.DELETED.name(), "reason", "its source "
                        + source.id() + "@" + source.version() + " was deleted")));
                deleted.add(activation.id());
            }
        }
        return deleted;
    }
}
