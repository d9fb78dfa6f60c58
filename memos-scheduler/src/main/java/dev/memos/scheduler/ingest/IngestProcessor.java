package dev.memos.scheduler.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memos.kernel.Directory;
import dev.memos.kernel.MemoryKernel;
import dev.memos.kernel.NewCube;
import dev.memos.kernel.access.Principal;
import dev.memos.kernel.error.ForbiddenException;
import dev.memos.kernel.error.InvalidException;
import dev.memos.kernel.error.MemosException;
import dev.memos.kernel.error.NotFoundException;
import dev.memos.kernel.error.UnauthenticatedException;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.spi.Extractor;
import dev.memos.kernel.spi.Transactions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one ingest record (docs/ingest.md) into plaintext cubes: parses and checks it ({@link IngestParser}), authenticates the
 * acting principal (the record's {@code apiKey}, else the configured service key), extracts facts and
 * writes them in one transaction, each under an idempotency key derived from the record's, so a
 * redelivered record creates nothing new and a record that fails part-way leaves nothing behind.
 * A record that can never succeed comes back as {@link Rejected}; a failure that may pass (the database is
 * away) is thrown, for the caller to retry.
 */
public final class IngestProcessor {
    public static final int SCHEMA_VERSION = 1;
    /** Most cubes one record may produce. */
    public static final int MAX_FACTS = 1_000;

    /** What became of a record. */
    public sealed interface Outcome permits Written, Rejected {
    }

    /** @param created how many of the cubes were created now (the rest existed from an earlier delivery) */
    public record Written(List<CubeId> cubes, int created) implements Outcome {
    }

    /** @param reason a stable code: malformed, too-large, invalid, unauthenticated, forbidden, unknown-space */
    public record Rejected(String reason, String message) implements Outcome, ParsedRecord {
    }

    private final IngestParser parser;
    private final MemoryKernel kernel;
    private final Directory directory;
    private final Transactions transactions;

    public IngestProcessor(ObjectMapper json, MemoryKernel kernel, Directory directory, Transactions transactions,
                           Extractor extractor, String serviceKey, int maxRecordBytes) {
        this.parser = new IngestParser(json, extractor, serviceKey, maxRecordBytes);
        this.kernel = kernel;
        this.directory = directory;
        this.transactions = transactions;
    }

    /** Processes one record in its own transaction. */
    public Outcome process(byte[] record) {
        return processAll(List.of(record)).getFirst();
    }

    /**
     * Processes records in order, in one transaction when all of them can be written (one commit for the
     * lot); when one of them is refused on writing, the others are done again one transaction each, so a
     * bad record never takes good ones down with it. The outcomes are in the order of the records.
     */
    public List<Outcome> processAll(List<byte[]> records) {
        return processAll(records, null);
    }

    /**
     * {@link #processAll(List)} for records sent by {@code caller} over HTTP: the caller acts for every record,
     * which therefore must not carry an {@code apiKey}. Null: each record's key (or the service key) acts.
     */
    public List<Outcome> processAll(List<byte[]> records, Principal caller) {
        List<ParsedRecord> prepared = new ArrayList<>(records.size());
        for (byte[] record : records) {
            prepared.add(parser.parse(record, caller));
        }
        try {
            return writeAll(prepared);
        } catch (MemosException refused) {
            Rejected rejected = rejection(refused);
            if (rejected == null) {
                throw refused;
            }
            if (prepared.size() == 1) {
                return List.of(rejected);
            }
            List<Outcome> outcomes = new ArrayList<>(prepared.size());
            for (ParsedRecord one : prepared) {
                outcomes.add(processAlone(one));
            }
            return outcomes;
        }
    }

    /** One prepared record (or its rejection) in a transaction of its own. */
    private Outcome processAlone(ParsedRecord prepared) {
        try {
            return writeAll(List.of(prepared)).getFirst();
        } catch (MemosException refused) {
            Rejected rejected = rejection(refused);
            if (rejected == null) {
                throw refused;
            }
            return rejected;
        }
    }

    /** Writes every prepared record in one transaction; rejections pass through as they are. */
    private List<Outcome> writeAll(List<ParsedRecord> prepared) {
        return transactions.inTransaction(() -> {
            Map<String, Principal> principals = new HashMap<>();
            List<Outcome> outcomes = new ArrayList<>(prepared.size());
            for (ParsedRecord p : prepared) {
                outcomes.add(switch (p) {
                    case ParsedRecord.Ready ready -> write(ready, principals);
                    case Rejected rejected -> rejected;
                });
            }
            return outcomes;
        });
    }

    /** A refusal that will not change on a retry, or null for one that may (a conflict, the store away). */
    private static Rejected rejection(MemosException e) {
        return switch (e) {
            case InvalidException invalid -> new Rejected("invalid", invalid.getMessage());
            case UnauthenticatedException unauthenticated -> new Rejected("unauthenticated", unauthenticated.getMessage());
            case ForbiddenException forbidden -> new Rejected("forbidden", forbidden.getMessage());
            case NotFoundException notFound -> new Rejected("unknown-space", notFound.getMessage());
            default -> null;
        };
    }

    private Outcome write(ParsedRecord.Ready record, Map<String, Principal> principals) {
        Principal actor = record.caller() != null ? record.caller()
                : principals.computeIfAbsent(record.apiKey(), directory::authenticate);
        List<CubeId> ids = new ArrayList<>(record.cubes().size());
        int created = 0;
        for (NewCube cube : record.cubes()) {
            MemoryKernel.WriteResult result = kernel.write(actor, record.space(), cube);
            ids.add(result.cube().id());
            created += result.created() ? 1 : 0;
        }
        return new Written(ids, created);
    }
}
