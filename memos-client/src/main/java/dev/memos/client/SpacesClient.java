package dev.memos.client;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.memos.client.model.Archive;
import dev.memos.client.model.Cube;
import dev.memos.client.model.Erasure;
import dev.memos.client.model.Page;
import dev.memos.client.model.Spaces;

import java.util.List;

/** Spaces, their grants, export and import. */
public final class SpacesClient {
    private final Transport transport;

    SpacesClient(Transport transport) {
        this.transport = transport;
    }

    private static String space(String space) {
        return "/v1/spaces/" + Transport.segment(space);
    }

    /** The spaces the key may read, with its role in each. */
    public List<Spaces.Space> list() {
        return transport.call(Transport.Call.get("/v1/spaces"), new TypeReference<Page<Spaces.Space>>() {
        }).items();
    }

    public Spaces.Space get(String space) {
        return transport.call(Transport.Call.get(space(space)), Spaces.Space.class);
    }

    /** Creates a space; the key becomes its administrator. */
    public Spaces.Space create(String name, String description) {
        return transport.call(Transport.Call.post("/v1/spaces", new Spaces.NewSpace(name, description)),
                Spaces.Space.class);
    }

    /** Deletes a space and erases its cubes; {@code force} when it still holds live cubes. */
    public Erasure delete(String space, boolean force, String reason) {
        return transport.call(Transport.Call.delete(space(space) + Transport.query(Transport.params(
                "force", force ? "true" : null, "reason", reason))), Erasure.class);
    }

    public List<Spaces.Grant> grants(String space) {
        return transport.call(Transport.Call.get(space(space) + "/grants"), new TypeReference<Page<Spaces.Grant>>() {
        }).items();
    }

    /** Grants (or changes) a principal's role in a space. */
    public Spaces.Grant grant(String space, String principal, Spaces.GrantRequest grant) {
        return transport.call(Transport.Call.put(space(space) + "/grants/" + Transport.segment(principal), grant),
                Spaces.Grant.class);
    }

    public void revoke(String space, String principal) {
        transport.send(Transport.Call.delete(space(space) + "/grants/" + Transport.segment(principal)));
    }

    /** One page of a space's export: every cube with all its versions. {@code redact}: labelled spans hidden. */
    public Archive.ExportPage export(String space, String cursor, Integer limit, boolean redact) {
        return transport.call(Transport.Call.get(space(space) + "/export" + Transport.query(Transport.params(
                "cursor", cursor, "limit", limit, "redact", redact ? "true" : null))), Archive.ExportPage.class);
    }

    /** Imports one archived cube with its versions (idempotent: a cube already there is reported, not copied). */
    public Archive.Imported importCube(String space, List<Cube> versions) {
        return transport.call(Transport.Call.post(space(space) + "/import", new Archive.Import(versions)).retrying(),
                Archive.Imported.class);
    }
}
