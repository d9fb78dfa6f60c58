package dev.memos.kernel;

import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.spi.AuditLog;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads of cubes labelled sensitive go into the audit trail, whichever way they were read: by id, a version, the
 * history, an as-of read, a list page, a search (and so a chat's recall). One entry per labelled cube per request
 * ({@code cube.read-sensitive}, target the cube id, detail how many labels and the way it was read); a cube read
 * in several versions by one request is one entry. The labels themselves are not written: the trail is append-only
 * and outlives an erasure, and an erased cube's labels must not (a label can say as much as the text).
 */
final class SensitiveReads {
    private SensitiveReads() {
    }

    /** Records the labelled cubes among {@code read}; call inside the transaction that read them, or on its own. */
    static void record(AuditLog audit, Instant at, String actor, Collection<MemCube> read, String via) {
        Map<String, MemCube> first = new LinkedHashMap<>();
        Map<String, TreeSet<String>> labels = new LinkedHashMap<>();
        for (MemCube cube : read) {
            if (cube != null && !cube.governance().sensitivity().isEmpty()) {
                String id = cube.id().toString();
                first.putIfAbsent(id, cube);
                labels.computeIfAbsent(id, k -> new TreeSet<>()).addAll(cube.governance().sensitivity());
            }
        }
        first.forEach((id, cube) -> audit.append(at, actor, "cube.read-sensitive", cube.space(), id,
                labels.get(id).size() + " labels" + (via == null ? "" : "; via " + via)));
    }
}
