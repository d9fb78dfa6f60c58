package dev.memos.scheduler;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memos.kernel.Directory;
import dev.memos.kernel.MemoryKernel;
import dev.memos.kernel.access.Principal;
import dev.memos.kernel.access.Role;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.query.CubeQuery;
import dev.memos.kernel.testing.InMemoryBackend;
import dev.memos.kernel.testing.MutableClock;
import dev.memos.scheduler.ingest.IngestProcessor;
import dev.memos.scheduler.ingest.SentenceExtractor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A kernel on the in-memory reference backend, with an owner, an outsider and a space. */
public final class Fixture {
    public final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    public final InMemoryBackend backend = new InMemoryBackend();
    public final MemoryKernel kernel = new MemoryKernel(backend, backend, backend, backend, clock);
    public final Directory directory = new Directory(backend, backend, backend, backend, clock);
    public final Principal admin;
    public final Directory.IssuedKey owner;
    public final Directory.IssuedKey outsider;
    public final Directory.IssuedKey reader;
    public final String space = "notes";

    public Fixture() {
        directory.bootstrapAdmin(null, key -> { });
        admin = backend.inTransaction(backend::firstAdmin).orElseThrow();
        owner = directory.createPrincipal(admin, "owner", Principal.Kind.SERVICE, false);
        outsider = directory.createPrincipal(admin, "outsider", Principal.Kind.AGENT, false);
        reader = directory.createPrincipal(admin, "reader", Principal.Kind.AGENT, false);
        directory.createSpace(owner.principal(), space, "ingested notes");
        directory.grant(owner.principal(), space, reader.principal().id(), Role.READ);
    }

    public IngestProcessor processor(int maxRecordBytes) {
        return new IngestProcessor(new ObjectMapper(), kernel, directory, backend, new SentenceExtractor(3),
                owner.apiKey(), maxRecordBytes);
    }

    /** Every live cube of the space, all pages. */
    public List<MemCube> cubes() {
        List<MemCube> all = new ArrayList<>();
        CubeQuery query = new CubeQuery(null, null, null, null, null, 200);
        while (true) {
            var page = kernel.list(owner.principal(), space, query);
            all.addAll(page.items());
            if (page.nextCursor() == null) {
                return all;
            }
            query = new CubeQuery(null, null, null, null, page.items().getLast().id(), 200);
        }
    }
}
