package dev.memos.scheduler.ingest;

import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.model.Source;
import dev.memos.kernel.model.TextPayload;
import dev.memos.scheduler.Fixture;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IngestProcessorTest {
    private final Fixture f = new Fixture();
    private final IngestProcessor processor = f.processor(4096);

    private IngestProcessor.Outcome process(String json) {
        return processor.process(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }

    private void assertRejected(String reason, String json) {
        IngestProcessor.Rejected rejected = assertInstanceOf(IngestProcessor.Rejected.class, process(json), json);
        assertEquals(reason, rejected.reason(), rejected.message());
        assertTrue(f.cubes().isEmpty(), "a rejected record leaves nothing behind");
    }

    @Test
    void a_turn_becomes_one_cube_per_sentence_keeping_speaker_time_and_source() {
        IngestProcessor.Written written = assertInstanceOf(IngestProcessor.Written.class, process(
                "{'type':'turn','space':'notes','idempotencyKey':'c1/t1','eventTime':'2023-05-08T13:56:00Z',"
                        + "'sourceRef':'D1:3','speaker':'Caroline','text':'I went to the support group yesterday. "
                        + "It was really powerful. Wow!'}"));
        assertEquals(2, written.created());
        List<MemCube> cubes = f.cubes();
        assertEquals(List.of("Caroline: I went to the support group yesterday.", "Caroline: It was really powerful. Wow!"),
                cubes.stream().map(c -> ((TextPayload) c.payload()).text()).toList());
        MemCube first = cubes.getFirst();
        assertEquals(Instant.parse("2023-05-08T13:56:00Z"), first.time().validFrom());
        assertEquals("D1:3#1", first.provenance().sourceRef());
        assertEquals(Source.CONVERSATION, first.provenance().source());
        assertEquals(f.owner.principal().id(), first.provenance().actor());
        assertEquals("Caroline", first.governance().subject(), "a conversation fact is about its speaker");
    }

    @Test
    void messages_documents_and_ready_memories_are_written() {
        assertInstanceOf(IngestProcessor.Written.class, process("{'type':'messages','space':'notes','idempotencyKey':'m1',"
                + "'messages':[{'speaker':'Ann','text':'My sister moved to Lisbon last spring.'},"
                + "{'speaker':'Bo','text':'Lisbon has great light for painting.','time':'2024-02-01T00:00:00Z'}]}"));
        assertInstanceOf(IngestProcessor.Written.class, process("{'type':'document','space':'notes','idempotencyKey':'d1',"
                + "'title':'Runbook','text':'Restart the relay after a failover.\\n\\nCheck the lag before paging anyone.'}"));
        assertInstanceOf(IngestProcessor.Written.class, process("{'type':'memory','space':'notes','idempotencyKey':'r1',"
                + "'text':'Ann is allergic to peanuts','kind':'fact','priority':10,'tags':['health']}"));
        List<String> texts = f.cubes().stream().map(c -> ((TextPayload) c.payload()).text()).toList();
        assertEquals(List.of("Ann: My sister moved to Lisbon last spring.", "Bo: Lisbon has great light for painting.",
                "Runbook: Restart the relay after a failover.", "Runbook: Check the lag before paging anyone.",
                "Ann is allergic to peanuts"), texts);
        MemCube bo = f.cubes().get(1);
        assertEquals(Instant.parse("2024-02-01T00:00:00Z"), bo.time().validFrom());
        assertEquals(List.of("Ann", "Bo"), f.cubes().subList(0, 2).stream().map(c -> c.governance().subject()).toList());
        assertEquals(null, f.cubes().get(2).governance().subject(), "a document is about no one unless told");
        MemCube memory = f.cubes().getLast();
        assertEquals(10, memory.governance().priority());
        assertEquals(List.of("health"), ((TextPayload) memory.payload()).tags());
    }

    @Test
    void a_record_names_the_subject_of_everything_it_yields() {
        process("{'type':'turn','space':'notes','idempotencyKey':'s1','speaker':'Caroline','subject':'Melanie',"
                + "'text':'Melanie is painting a sunrise.'}");
        process("{'type':'memory','space':'notes','idempotencyKey':'s2','subject':'Ann','text':'Ann is allergic to nuts'}");
        assertEquals(List.of("Melanie", "Ann"), f.cubes().stream().map(c -> c.governance().subject()).toList());
    }

    @Test
    void a_redelivered_record_creates_nothing_new() {
        String record = "{'type':'turn','space':'notes','idempotencyKey':'k','speaker':'A','text':'One thing here. Another thing here.'}";
        IngestProcessor.Written first = assertInstanceOf(IngestProcessor.Written.class, process(record));
        IngestProcessor.Written again = assertInstanceOf(IngestProcessor.Written.class, process(record));
        assertEquals(2, first.created());
        assertEquals(0, again.created());
        assertEquals(first.cubes(), again.cubes());
        assertEquals(2, f.cubes().size());
    }

    @Test
    void bad_records_are_rejected_with_a_reason_and_write_nothing() {
        assertRejected("malformed", "{not json");
        assertRejected("malformed", "[1,2]");
        assertRejected("too-large", "{'type':'memory','space':'notes','idempotencyKey':'x','text':'" + "a".repeat(5000) + "'}");
        assertRejected("invalid", "{'type':'poem','space':'notes','idempotencyKey':'x','text':'a b c'}");
        assertRejected("invalid", "{'type':'memory','space':'notes','text':'no key'}");
        assertRejected("invalid", "{'type':'memory','space':'notes','idempotencyKey':'x','text':'t','colour':'red'}");
        assertRejected("invalid", "{'type':'memory','space':'notes','idempotencyKey':'x','text':'t','eventTime':'yesterday'}");
        assertRejected("invalid", "{'type':'memory','space':'notes','idempotencyKey':'x','text':'t','priority':1000}");
        assertRejected("invalid", "{'type':'messages','space':'notes','idempotencyKey':'x','messages':[]}");
        assertRejected("invalid", "{'type':'memory','space':'notes','idempotencyKey':'x','text':'t','subject':'a\\u0007b'}");
        assertRejected("unknown-space", "{'type':'memory','space':'nowhere','idempotencyKey':'x','text':'t'}");
        assertRejected("unauthenticated", "{'type':'memory','space':'notes','idempotencyKey':'x','text':'t','apiKey':'wrong-key'}");
        assertRejected("forbidden", "{'type':'memory','space':'notes','idempotencyKey':'x','text':'t','apiKey':'"
                + f.reader.apiKey() + "'}");
        assertRejected("unknown-space", "{'type':'memory','space':'notes','idempotencyKey':'x','text':'t','apiKey':'"
                + f.outsider.apiKey() + "'}");
    }

    @Test
    void injection_looking_text_is_stored_as_plain_text() {
        String hostile = "Robert'); DROP TABLE cube;-- MATCH (n) DETACH DELETE n <script>alert(1)</script>";
        assertInstanceOf(IngestProcessor.Written.class, processor.process(("{\"type\":\"memory\",\"space\":\"notes\","
                + "\"idempotencyKey\":\"h\",\"text\":\"" + hostile + "\"}").getBytes(StandardCharsets.UTF_8)));
        assertEquals(hostile, ((TextPayload) f.cubes().getFirst().payload()).text());
    }

    @Test
    void a_record_whose_later_fact_is_invalid_writes_none_of_its_facts() {
        // Numbered source references "#1".."#9" fit the 512-character limit; the tenth, "#10", does not.
        String ref = "r".repeat(510);
        String text = "Sentence number %d is fine. ".repeat(10).formatted(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertRejected("invalid", "{'type':'turn','space':'notes','idempotencyKey':'p','sourceRef':'" + ref
                + "','speaker':'A','text':'" + text + "'}");
    }

    @Test
    void a_batch_with_a_record_refused_on_writing_still_writes_the_others() {
        String good1 = "{'type':'memory','space':'notes','idempotencyKey':'g1','text':'first good memory'}";
        String refused = "{'type':'memory','space':'notes','idempotencyKey':'b','text':'t','apiKey':'" + f.reader.apiKey() + "'}";
        String good2 = "{'type':'memory','space':'notes','idempotencyKey':'g2','text':'second good memory'}";
        List<IngestProcessor.Outcome> outcomes = processor.processAll(List.of(bytes(good1), bytes(refused), bytes(good2)));
        assertInstanceOf(IngestProcessor.Written.class, outcomes.get(0));
        assertEquals("forbidden", assertInstanceOf(IngestProcessor.Rejected.class, outcomes.get(1)).reason());
        assertInstanceOf(IngestProcessor.Written.class, outcomes.get(2));
        assertEquals(List.of("first good memory", "second good memory"),
                f.cubes().stream().map(c -> ((TextPayload) c.payload()).text()).toList());
    }

    private static byte[] bytes(String json) {
        return json.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
    }
}
