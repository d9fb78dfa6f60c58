package dev.memos.client;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.memos.client.model.Archive;
import dev.memos.client.model.Cube;
import dev.memos.client.model.CubePatch;
import dev.memos.client.model.Erasure;
import dev.memos.client.model.Lineage;
import dev.memos.client.model.NewCube;
import dev.memos.client.model.Page;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/** Cubes: write, read, list, change, lifecycle, lineage, delete (docs/api.md). */
public final class CubesClient {
    private static final TypeReference<Page<Cube>> CUBES = new TypeReference<>() {
    };
    private final Transport transport;

    CubesClient(Transport transport) {
        this.transport = transport;
    }

    private static String cube(String id) {
        return "/v1/cubes/" + Transport.segment(id);
    }

    private static String space(String space) {
        return "/v1/spaces/" + Transport.segment(space);
    }

    private static Transport.Call post(String path, Object body, boolean retryable) {
        Transport.Call call = Transport.Call.post(path, body);
        return retryable ? call.retrying() : call;
    }

    /**
     * Writes a plaintext cube. Without an idempotency key the client makes one, so the write is retried safely; a
     * write repeating a key answers the cube it first wrote.
     */
    public Cube write(String space, NewCube cube) {
        NewCube keyed = cube.idempotencyKey() != null ? cube : cube.idempotencyKey("client-" + UUID.randomUUID());
        return transport.call(post(space(space) + "/cubes", keyed, true), Cube.class);
    }

    /** The live version (for its owner, a deleted cube's tombstone). */
    public Cube get(String id) {
        return transport.call(Transport.Call.get(cube(id)), Cube.class);
    }

    /** The version memos held as current at {@code asOf} (recorded time). */
    public Cube getAsOf(String id, Instant asOf) {
        return transport.call(Transport.Call.get(cube(id) + Transport.query(Transport.params("asOf", asOf))), Cube.class);
    }

    public Cube version(String id, int version) {
        return transport.call(Transport.Call.get(cube(id) + "/versions/" + version), Cube.class);
    }

    /** Every version, oldest first. */
    public Page<Cube> versions(String id) {
        return transport.call(Transport.Call.get(cube(id) + "/versions"), CUBES);
    }

    /** One page of a space's cubes, in creation order. */
    public Page<Cube> list(String space, CubeQuery query, String cursor) {
        CubeQuery q = query == null ? CubeQuery.all() : query;
        return transport.call(Transport.Call.get(space(space) + "/cubes" + Transport.query(Transport.params(
                "state", q.state(), "kind", q.kind(), "tag", q.tag(), "validAt", q.validAt(), "asOf", q.asOf(),
                "limit", q.limit(), "cursor", cursor))), CUBES);
    }

    /** Every cube of a space that matches, page by page as the stream is read. */
    public Stream<Cube> listAll(String space, CubeQuery query) {
        return MemosClient.all(cursor -> list(space, query, cursor));
    }

    /**
     * Which of a space's cubes to list.
     *
     * @param state GENERATED, ACTIVATED, ARCHIVED, MERGED, FROZEN, DELETED or QUARANTINED (null: all but the last two)
     * @param limit page size, 1 … 200
     */
    public record CubeQuery(String state, String kind, String tag, Instant validAt, Instant asOf, Integer limit) {
        public static CubeQuery all() {
            return new CubeQuery(null, null, null, null, null, null);
        }
    }

    /** Writes version n+1 with the fields of {@code patch}; {@code basedOn} is the version the change starts from. */
    public Cube update(String id, int basedOn, CubePatch patch) {
        return transport.call(new Transport.Call("PATCH", cube(id), patch, Map.of(), false, null)
                .header("If-Match", "\"" + basedOn + "\""), Cube.class);
    }

    /** Version n+1 carries an earlier version's payload. */
    public Cube rollback(String id, int version) {
        return transport.call(post(cube(id) + "/rollback", new Archive.Rollback(version), false), Cube.class);
    }

    public Cube transition(String id, String to, String reason) {
        return transport.call(post(cube(id) + "/transitions", new Archive.Transition(to, reason), false), Cube.class);
    }

    /** The fact stopped holding at {@code validTo} (null: now); a new version records it. */
    public Cube invalidate(String id, Instant validTo, String reason) {
        return transport.call(post(cube(id) + "/invalidate", new Archive.Invalidate(validTo, reason), false), Cube.class);
    }

    /** Releases a QUARANTINED cube into recall (space administrators). */
    public Cube release(String id, String reason) {
        return transport.call(post(cube(id) + "/release", new Archive.Release(reason), false), Cube.class);
    }

    /** Which live cubes of its space contradict this one (checked by the service's rules). */
    public Archive.Verdicts contradictions(String id, Integer candidates) {
        return transport.call(post(cube(id) + "/contradictions", new Archive.ContradictionCheck(candidates), true),
                Archive.Verdicts.class);
    }

    public Lineage.Graph lineage(String id, String direction, Integer depth) {
        return transport.call(Transport.Call.get(cube(id) + "/lineage"
                + Transport.query(Transport.params("direction", direction, "depth", depth))), Lineage.Graph.class);
    }

    public Lineage.Provenance provenance(String id) {
        return transport.call(Transport.Call.get(cube(id) + "/provenance"), Lineage.Provenance.class);
    }

    /**
     * Deletes the cube and starts its erasure; the answer is the erasure request (follow it with
     * {@link PrivacyClient#erasure}). {@code cascade}: erase the cubes derived from it that the key may write.
     */
    public Erasure delete(String id, boolean cascade, String reason) {
        return transport.call(Transport.Call.delete(cube(id) + Transport.query(Transport.params(
                "cascade", cascade ? "true" : null, "reason", reason))), Erasure.class);
    }
}
