package dev.memos.scheduler.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memos.kernel.NewCube;
import dev.memos.kernel.model.Source;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parsing half of ingestion, without a store: what a record becomes, and why one is refused. */
class IngestParserTest {
    private final IngestParser parser = new IngestParser(new ObjectMapper(), new SentenceExtractor(3), "service-key", 2_000);

    private ParsedRecord parse(String record) {
        return parser.parse(record.getBytes(StandardCharsets.UTF_8), null);
    }

    private void assertRejected(String reason, String record) {
        IngestProcessor.Rejected rejected = assertInstanceOf(IngestProcessor.Rejected.class, parse(record));
        assertEquals(reason, rejected.reason(), rejected.message());
    }

    @Test
    void a_memory_record_becomes_one_cube_with_its_header() {
        ParsedRecord.Ready ready = assertInstanceOf(ParsedRecord.Ready.class, parse("""
                {"type":"memory","space":"mem","idempotencyKey":"k1","text":"Bob lives in Paris","kind":"fact",
                 "priority":3,"eventTime":"2026-05-01T10:00:00Z","tags":["home"],"subject":"bob"}"""));
        assertEquals("mem", ready.space());
        assertEquals("service-key", ready.apiKey(), "no apiKey in the record: the service key acts");
        NewCube cube = ready.cubes().getFirst();
        assertEquals("Bob lives in Paris", cube.text());
        assertEquals(3, cube.priority());
        assertEquals(Instant.parse("2026-05-01T10:00:00Z"), cube.validFrom());
        assertEquals(Source.KAFKA, cube.source());
        assertEquals("k1", cube.idempotencyKey());
        assertEquals("bob", cube.subject());
    }

    @Test
    void a_turn_becomes_one_fact_per_sentence_each_with_its_own_key_and_the_speaker_as_subject() {
        ParsedRecord.Ready ready = assertInstanceOf(ParsedRecord.Ready.class, parse("""
                {"type":"turn","space":"mem","idempotencyKey":"t1","speaker":"Ann",
                 "text":"I moved to Lyon last spring. My sister still lives in Paris."}"""));
        assertEquals(2, ready.cubes().size());
        assertEquals("t1#1", ready.cubes().get(0).idempotencyKey());
        assertEquals("t1#2", ready.cubes().get(1).idempotencyKey());
        assertEquals("Ann", ready.cubes().get(0).subject());
        assertEquals(Source.CONVERSATION, ready.cubes().get(0).source());
        assertNull(ready.caller());
    }

    @Test
    void records_that_can_never_be_written_are_rejected_with_a_stable_reason() {
        assertRejected("malformed", "");
        assertRejected("malformed", "{not json");
        assertRejected("malformed", "[1, 2]");
        assertRejected("too-large", "{\"type\":\"memory\",\"text\":\"" + "x".repeat(3_000) + "\"}");
        assertRejected("invalid", "{\"schema\":2,\"type\":\"memory\",\"space\":\"mem\",\"idempotencyKey\":\"k\",\"text\":\"t\"}");
        assertRejected("invalid", "{\"type\":\"poem\",\"space\":\"mem\",\"idempotencyKey\":\"k\",\"text\":\"t\"}");
        assertRejected("invalid", "{\"type\":\"memory\",\"space\":\"mem\",\"idempotencyKey\":\"k\",\"text\":\"t\",\"owner\":\"x\"}");
        assertRejected("invalid", "{\"type\":\"memory\",\"space\":\"mem\",\"text\":\"t\"}");
        assertRejected("invalid", "{\"type\":\"memory\",\"space\":\"mem\",\"idempotencyKey\":\"k\",\"text\":\"t\",\"eventTime\":\"May\"}");
        assertRejected("invalid", "{\"type\":\"messages\",\"space\":\"mem\",\"idempotencyKey\":\"k\",\"messages\":[]}");
    }

    @Test
    void without_an_api_key_or_a_service_key_a_record_is_unauthenticated() {
        IngestParser keyless = new IngestParser(new ObjectMapper(), new SentenceExtractor(3), null, 2_000);
        ParsedRecord parsed = keyless.parse("""
                {"type":"memory","space":"mem","idempotencyKey":"k","text":"Bob lives in Paris"}"""
                .getBytes(StandardCharsets.UTF_8), null);
        assertTrue(parsed instanceof IngestProcessor.Rejected r && r.reason().equals("unauthenticated"));
    }
}
