package dev.memos.scheduler.ingest;

import dev.memos.kernel.NewCube;
import dev.memos.kernel.access.Principal;

import java.util.List;

/** An ingest record as {@link IngestParser} read it: ready to write, or rejected for good. */
sealed interface ParsedRecord permits ParsedRecord.Ready, IngestProcessor.Rejected {

    /**
     * A checked record: the cubes to write into {@code space}, acting as {@code caller} when the record came over
     * HTTP, else as the principal of {@code apiKey} (the record's or the service key).
     */
    record Ready(String apiKey, Principal caller, String space, List<NewCube> cubes) implements ParsedRecord {
    }
}
