package dev.memos.kernel;

import dev.memos.kernel.governance.Screening;
import dev.memos.kernel.spi.AuditLog;
import dev.memos.kernel.spi.CubeCache;
import dev.memos.kernel.spi.UsageSink;

import java.util.Objects;

/**
 * What {@link MemoryKernel} works with besides its stores, each optional ({@link #NONE}: none).
 *
 * @param usage      receives every read of a cube's live version as an access (heat, access count)
 * @param workingSet serves reads of hot cubes; the kernel drops what it changes
 * @param audit      records imports and reads of cubes labelled sensitive
 * @param screening  labels what a write or an update of the text holds and decides which new memories are kept
 *                   out of recall until released (docs/privacy.md)
 */
public record KernelServices(UsageSink usage, CubeCache workingSet, AuditLog audit, Screening screening) {
    public static final KernelServices NONE = new KernelServices(UsageSink.NONE, CubeCache.NONE, Audit.NONE, Screening.none());

    public KernelServices {
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(workingSet, "workingSet");
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(screening, "screening");
    }

    public KernelServices withWorkingSet(CubeCache workingSet) {
        return new KernelServices(usage, workingSet, audit, screening);
    }
}
