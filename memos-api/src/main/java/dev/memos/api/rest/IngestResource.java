package dev.memos.api.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memos.api.auth.Caller;
import dev.memos.kernel.error.InvalidException;
import dev.memos.kernel.model.CubeId;
import dev.memos.scheduler.ingest.IngestProcessor;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.ArrayList;
import java.util.List;

/** Ingest records (docs/ingest.md) over HTTP: the same records, extraction and idempotency as the Kafka topic. */
@Path("/v1/ingest")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "ingest")
@SecurityRequirement(name = "apiKey")
public class IngestResource {
    /** Records one request may carry. */
    public static final int MAX_RECORDS = 500;

    private final IngestProcessor processor;
    private final ObjectMapper json;
    private final Caller caller;

    public IngestResource(IngestProcessor processor, ObjectMapper json, Caller caller) {
        this.processor = processor;
        this.json = json;
        this.caller = caller;
    }

    /** {@code {"records": [ … ]}}: records of type turn, messages, document or memory, without apiKey. */
    public record Request(List<JsonNode> records) {
    }

    /** A record's outcome: written (its cubes, how many are new) or rejected (reason and message). */
    public record Result(String status, List<String> cubes, Integer created, String reason, String message) {
    }

    public record Response(int written, int rejected, int created, List<Result> results) {
    }

    @POST
    @Operation(summary = "Turn conversation turns, messages, documents or memories into cubes",
            description = "Up to " + MAX_RECORDS + " records as on the Kafka ingest topic (docs/ingest.md); your key acts "
                    + "for every record. Each record is written all or none and a refused one does not stop the others: "
                    + "the answer lists every record's outcome in order. A record sent again (same idempotencyKey) "
                    + "creates nothing new.")
    public Response ingest(Request body) {
        Request request = Params.body("{\"records\": [ … ]}", body);
        if (request.records() == null || request.records().isEmpty()) {
            throw new InvalidException("records", "send at least one record");
        }
        if (request.records().size() > MAX_RECORDS) {
            throw new InvalidException("records", "at most " + MAX_RECORDS + " records a request; got " + request.records().size());
        }
        List<byte[]> records = new ArrayList<>(request.records().size());
        for (JsonNode record : request.records()) {
            try {
                records.add(record == null ? new byte[0] : json.writeValueAsBytes(record));
            } catch (com.fasterxml.jackson.core.JsonProcessingException impossible) {
                throw new IllegalStateException("a parsed JSON tree always serialises", impossible);
            }
        }
        List<Result> results = new ArrayList<>();
        int written = 0;
        int created = 0;
        for (IngestProcessor.Outcome outcome : processor.processAll(records, caller.principal())) {
            switch (outcome) {
                case IngestProcessor.Written w -> {
                    written++;
                    created += w.created();
                    results.add(new Result("written", w.cubes().stream().map(CubeId::toString).toList(), w.created(),
                            null, null));
                }
                case IngestProcessor.Rejected r -> results.add(new Result("rejected", null, null, r.reason(), r.message()));
            }
        }
        return new Response(written, records.size() - written, created, results);
    }
}
