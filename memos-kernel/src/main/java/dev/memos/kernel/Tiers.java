package dev.memos.kernel;

import dev.memos.kernel.access.Principal;
import dev.memos.kernel.access.Role;
import dev.memos.kernel.engine.ActivationBlob;
import dev.memos.kernel.engine.AdapterInfo;
import dev.memos.kernel.engine.AdapterUse;
import dev.memos.kernel.engine.EngineProvider;
import dev.memos.kernel.engine.InferenceEngine;
import dev.memos.kernel.engine.KvSnapshot;
import dev.memos.kernel.engine.MemoryPrompt;
import dev.memos.kernel.error.ConflictException;
import dev.memos.kernel.error.InvalidException;
import dev.memos.kernel.event.Decision;
import dev.memos.kernel.event.EventType;
import dev.memos.kernel.event.KernelEvent;
import dev.memos.kernel.lineage.LineageFacts;
import dev.memos.kernel.lineage.VersionRef;
import dev.memos.kernel.model.BlobPayload;
import dev.memos.kernel.model.CubeId;
import dev.memos.kernel.model.Governance;
import dev.memos.kernel.model.LifecycleState;
import dev.memos.kernel.model.MemCube;
import dev.memos.kernel.model.Operation;
import dev.memos.kernel.model.Provenance;
import dev.memos.kernel.model.Sha256;
import dev.memos.kernel.model.Source;
import dev.memos.kernel.model.Temporal;
import dev.memos.kernel.model.TextPayload;
import dev.memos.kernel.model.Tier;
import dev.memos.kernel.spi.BlobStore;
import dev.memos.kernel.spi.CubeStore;
import dev.memos.kernel.spi.DirectoryStore;
import dev.memos.kernel.spi.Outbox;
import dev.memos.kernel.spi.Transactions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The activation and parameter tiers: compiling plaintext cubes into an activation cube (the KV state of their
 * memory block), importing LoRA adapters as parameter cubes, and reading both back for inference. The engine
 * work (a prefill can take seconds) runs outside any transaction; the blob, the cube and its event then commit
 * together, after checking that the sources did not change meanwhile.
 */
public final class Tiers {
    public static final String LORA_MEDIA_TYPE = "application/vnd.memos.lora+gguf";
    /** The most plaintext cubes one activation cube is compiled from. */
    public static final int MAX_SOURCES = 256;
    /** Attribute keys of activation and parameter blobs. */
    public static final String SOURCES = "sources", TOKENS = "tokens", CONTEXT = "context", ADAPTERS = "adapters",
            MODEL_SHA256 = "modelSha256", RANK = "rank", ALPHA = "alpha", TARGETS = "targets", SCALE = "scale",
            ARCHITECTURE = "architecture", NAME = "name";

    /**
     * The policy name of migrations a principal asked for: their events carry it (with a reason), so the space's
     * scheduler log lists them beside memos' own decisions.
     */
    public static final String MIGRATION = "migration";

    private final CubeStore cubes;
    private final BlobStore blobs;
    private final Outbox outbox;
    private final Transactions transactions;
    private final Clock clock;
    private final EngineProvider engines;
    private final Guard guard;

    public Tiers(CubeStore cubes, DirectoryStore directory, BlobStore blobs, Outbox outbox, Transactions transactions,
                 Clock clock, EngineProvider engines) {
        this.cubes = Objects.requireNonNull(cubes, "cubes");
        this.blobs = Objects.requireNonNull(blobs, "blobs");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.engines = Objects.requireNonNull(engines, "engines");
        this.guard = new Guard(Objects.requireNonNull(directory, "directory"), cubes);
    }

    /** The cube a migration or import made, and whether it was made now (false: it existed already). */
    public record Made(MemCube cube, boolean created) {
    }

    /**
     * Moves the knowledge of a plaintext cube to another tier. To ACTIVATION it compiles the cube into an
     * activation cube (the source keeps its own lifecycle); migrating the same version again returns the same cube.
     * PARAMETER memory is trained, not converted: that is refused with the way to get it.
     */
    public Made migrate(Principal actor, CubeId id, Tier target) {
        Objects.requireNonNull(target, "target");
        MemCube source = transactions.inTransaction(() -> guard.cube(actor, id, Role.WRITE));
        return switch (target) {
            case ACTIVATION -> compile(actor, source.space(), List.of(id), List.of());
            case PARAMETER -> throw new ConflictException("parameter memory is trained, not converted: export the "
                    + "space's stable memories as a fine-tuning set (POST /v1/spaces/" + source.space()
                    + "/distill, or memos distill), train a LoRA adapter on it, and import the adapter with "
                    + "POST /v1/spaces/" + source.space() + "/adapters naming the export");
            case PLAINTEXT -> throw new InvalidException("tier", "cube " + id + " is " + source.tier()
                    + "; only activation and parameter are targets of a migration");
        };
    }

    /** Compiles plaintext cubes of a space into one activation cube, for a principal with WRITE on the space. */
    public Made compile(Principal actor, String space, List<CubeId> sourceIds, List<AdapterUse> adapters) {
        InferenceEngine engine = engines.require();
        List<MemCube> sources = transactions.inTransaction(() -> {
            guard.space(actor, space, Role.WRITE);
            return readableSources(actor, space, sourceIds);
        });
        Map<String, String> logged = new LinkedHashMap<>();
        logged.put("policy", MIGRATION);
        logged.put("reason", sources.size() + " plaintext cube(s) compiled into activation memory for "
                + engine.model().label() + " at the request of " + actor.id());
        return compiled(engine, space, sources, adapters, actor.id(), () -> transactions.inTransaction(() -> {
            guard.space(actor, space, Role.WRITE);
            return readableSources(actor, space, sourceIds);
        }), logged);
    }

    /**
     * Compiles on memos' own decision (the scheduler's working-set policy): no grant applies and the decision
     * travels in the event. Empty when a source is gone or no longer plaintext and live.
     */
    public Optional<Made> compileForSystem(String space, List<CubeId> sourceIds, Decision decision) {
        InferenceEngine engine = engines.require();
        try {
            List<MemCube> sources = transactions.inTransaction(() -> systemSources(space, sourceIds));
            Map<String, String> data = new LinkedHashMap<>(decision.data());
            data.put("reason", decision.reason());
            return Optional.of(compiled(engine, space, sources, List.of(), Decision.SCHEDULER,
                    () -> transactions.inTransaction(() -> systemSources(space, sourceIds)), data));
        } catch (InvalidException | ConflictException gone) {
            return Optional.empty();
        }
    }

    private List<MemCube> systemSources(String space, List<CubeId> ids) {
        List<MemCube> found = new ArrayList<>();
        for (CubeId id : distinct(ids)) {
            MemCube cube = cubes.findForSystem(id).orElseThrow(() -> new InvalidException("sources", "no cube " + id));
            found.add(requireCompilable(cube, space));
        }
        return found;
    }

    private List<MemCube> readableSources(Principal actor, String space, List<CubeId> ids) {
        List<MemCube> found = new ArrayList<>();
        for (CubeId id : distinct(ids)) {
            MemCube cube = cubes.find(id, actor.id(), Role.READ)
                    .orElseThrow(() -> new InvalidException("sources", "no cube " + id + " that you may read"));
            found.add(requireCompilable(cube, space));
        }
        return found;
    }

    private static List<CubeId> distinct(List<CubeId> ids) {
        if (ids == null || ids.isEmpty()) {
            throw new InvalidException("sources", "an activation cube needs at least one plaintext cube");
        }
        if (ids.size() > MAX_SOURCES) {
            throw new InvalidException("sources", "at most " + MAX_SOURCES + " cubes; got " + ids.size());
        }
        return ids.stream().distinct().toList();
    }

    private static MemCube requireCompilable(MemCube cube, String space) {
        if (!cube.space().equals(space)) {
            throw new InvalidException("sources", "cube " + cube.id() + " is not in space '" + space + "'");
        }
        if (!(cube.payload() instanceof TextPayload) || !dev.memos.kernel.search.SearchFilters.DEFAULT_STATES.contains(cube.state())) {
            throw new InvalidException("sources", "cube " + cube.id() + " is " + cube.tier() + " and " + cube.state()
                    + "; only live plaintext cubes compile into activation memory");
        }
        return cube;
    }

    private Made compiled(InferenceEngine engine, String space, List<MemCube> sources, List<AdapterUse> adapters,
                          String actor, java.util.function.Supplier<List<MemCube>> reread, Map<String, String> extra) {
        String sourceList = Activations.sourceList(sources);
        Optional<MemCube> existing = transactions.inTransaction(() -> sameActivation(engine, space, sourceList, adapters));
        if (existing.isPresent()) {
            return new Made(existing.get(), false);
        }
        int[] tokens = engine.tokenize(MemoryPrompt.prefix(sources.stream().map(MemCube::text).toList()), true);
        InferenceEngine.Snapshot snapshot = engine.prefill(tokens, adapters);
        byte[] blob = ActivationBlob.encode(snapshot.kv());
        return transactions.inTransaction(() -> {
            List<MemCube> now = reread.get();
            if (!Activations.sourceList(now).equals(sourceList)) {
                throw new ConflictException("a source changed while its activation was computed (" + sourceList
                        + " became " + Activations.sourceList(now) + "); migrate again");
            }
            Optional<MemCube> raced = sameActivation(engine, space, sourceList, adapters);
            if (raced.isPresent()) {
                return new Made(raced.get(), false);
            }
            String sha256 = blobs.put(blob);
            Map<String, String> attributes = new LinkedHashMap<>();
            attributes.put(SOURCES, sourceList);
            attributes.put(TOKENS, Integer.toString(tokens.length));
            attributes.put(CONTEXT, engine.context().contextSize() + "/" + engine.context().kvType());
            attributes.put(ADAPTERS, ActivationBlob.adapterList(adapters));
            attributes.put(MODEL_SHA256, engine.model().sha256());
            MemCube cube = tierCube(space, Tier.ACTIVATION, new BlobPayload(sha256, blob.length, ActivationBlob.MEDIA_TYPE,
                    engine.model().label(), attributes), actor, sources.stream().map(MemCube::id).toList());
            cubes.insertForSystem(cube);
            Map<String, String> data = new LinkedHashMap<>(extra);
            data.putAll(LineageFacts.sourceData(sources.stream().map(c -> new VersionRef(c.id(), c.version())).toList()));
            data.put(LineageFacts.OPERATION, "migrate");
            data.put("tier", Tier.ACTIVATION.name());
            outbox.append(created(cube, actor, data));
            return new Made(cube, true);
        });
    }

    /** A live activation cube of the space made from these source versions for this model, context and adapters. */
    private Optional<MemCube> sameActivation(InferenceEngine engine, String space, String sourceList,
                                             List<AdapterUse> adapters) {
        String context = engine.context().contextSize() + "/" + engine.context().kvType();
        return cubes.findInTier(space, Tier.ACTIVATION, null, 1_000).stream()
                .filter(c -> c.payload() instanceof BlobPayload b && sourceList.equals(b.attributes().get(SOURCES))
                        && engine.model().sha256().equals(b.attributes().get(MODEL_SHA256))
                        && context.equals(b.attributes().get(CONTEXT))
                        && ActivationBlob.adapterList(adapters).equals(b.attributes().get(ADAPTERS)))
                .findFirst();
    }

    /**
     * Validates a LoRA adapter (GGUF) against the engine's model and stores it as a parameter cube of the space.
     * Nothing is stored when it does not fit. Importing the same bytes into the same space again returns the cube
     * that holds them. Sources (a distillation export's cubes) become its lineage.
     */
    public Made importAdapter(Principal actor, String space, byte[] gguf, AdapterImport request) {
        Objects.requireNonNull(request, "request");
        InferenceEngine engine = engines.require();
        transactions.inTransaction(() -> guard.space(actor, space, Role.WRITE));
        String sha256 = Sha256.of(gguf);
        AdapterInfo info = load(engine, sha256, gguf);
        return transactions.inTransaction(() -> {
            guard.space(actor, space, Role.WRITE);
            Optional<MemCube> existing = cubes.findInTier(space, Tier.PARAMETER, null, 1_000).stream()
                    .filter(c -> c.payload() instanceof BlobPayload b && b.sha256().equals(sha256)).findFirst();
            if (existing.isPresent()) {
                return new Made(existing.get(), false);
            }
            List<VersionRef> sources = new ArrayList<>();
            for (SourceVersion source : request.derivedFrom()) {
                MemCube cube = cubes.find(source.cube(), actor.id(), Role.READ).orElseThrow(() ->
                        new InvalidException("derivedFrom", "no cube " + source.cube() + " that you may read"));
                int version = source.version() == null ? cube.version() : source.version();
                if (version > cube.version()) {
                    throw new InvalidException("derivedFrom", "cube " + source.cube() + " has no version " + version
                            + "; its versions are 1 … " + cube.version());
                }
                sources.add(new VersionRef(source.cube(), version));
            }
            blobs.put(gguf);
            Map<String, String> attributes = new LinkedHashMap<>();
            attributes.put(ARCHITECTURE, info.architecture());
            attributes.put(RANK, Integer.toString(info.rank()));
            attributes.put(ALPHA, Float.toString(info.alpha()));
            attributes.put(TARGETS, Integer.toString(info.targets().size()));
            attributes.put(SCALE, Float.toString(request.scale()));
            attributes.put(MODEL_SHA256, engine.model().sha256());
            if (request.name() != null) {
                attributes.put(NAME, request.name());
            }
            MemCube cube = tierCube(space, Tier.PARAMETER, new BlobPayload(sha256, gguf.length, LORA_MEDIA_TYPE,
                    engine.model().label(), attributes), actor.id(),
                    request.derivedFrom().stream().map(SourceVersion::cube).distinct().toList());
            cubes.insertForSystem(cube);
            Map<String, String> data = new LinkedHashMap<>(LineageFacts.sourceData(sources));
            if (!sources.isEmpty()) {
                data.put(LineageFacts.OPERATION, "migrate");
            }
            data.put("tier", Tier.PARAMETER.name());
            data.put("policy", MIGRATION);
            data.put("reason", "LoRA adapter (rank " + info.rank() + ", " + info.targets().size() + " weights) imported as "
                    + "parameter memory for " + engine.model().label() + " at the request of " + actor.id()
                    + (sources.isEmpty() ? "" : ", trained on " + sources.size() + " cube version(s)"));
            outbox.append(created(cube, actor.id(), data));
            return new Made(cube, true);
        });
    }

    /** The KV snapshot an activation cube holds, read from the blob store and checked. */
    public KvSnapshot snapshot(MemCube activation) {
        BlobPayload blob = blobOf(activation, Tier.ACTIVATION);
        byte[] bytes = transactions.inTransaction(() -> blobs.get(blob.sha256())).orElseThrow(() ->
                new ConflictException("the blob of activation cube " + activation.id() + " is missing"));
        return ActivationBlob.decode(bytes);
    }

    /** Makes sure the engine holds the adapter of a parameter cube and returns how to apply it. */
    public AdapterUse adapter(MemCube parameter, Float scale) {
        BlobPayload blob = blobOf(parameter, Tier.PARAMETER);
        InferenceEngine engine = engines.require();
        if (!engine.model().sha256().equals(blob.attributes().get(MODEL_SHA256))) {
            throw new ConflictException("parameter cube " + parameter.id() + " was validated against model "
                    + blob.model() + "; the engine runs " + engine.model().label());
        }
        if (!engine.hasAdapter(blob.sha256())) {
            byte[] bytes = transactions.inTransaction(() -> blobs.get(blob.sha256())).orElseThrow(() ->
                    new ConflictException("the blob of parameter cube " + parameter.id() + " is missing"));
            load(engine, blob.sha256(), bytes);
        }
        float applied = scale != null ? scale : Float.parseFloat(blob.attributes().getOrDefault(SCALE, "1.0"));
        return new AdapterUse(blob.sha256(), applied);
    }

    private static BlobPayload blobOf(MemCube cube, Tier tier) {
        if (cube.tier() != tier || !(cube.payload() instanceof BlobPayload blob)) {
            throw new InvalidException("cube", "cube " + cube.id() + " is " + cube.tier() + " " + cube.state()
                    + ", not a live " + tier + " cube");
        }
        return blob;
    }

    /** llama.cpp loads adapters from files: the bytes go through a private temporary file, deleted at once. */
    private static AdapterInfo load(InferenceEngine engine, String sha256, byte[] gguf) {
        Path file = null;
        try {
            file = Files.createTempFile("memos-adapter-", ".gguf");
            Files.write(file, gguf);
            return engine.loadAdapter(sha256, file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a temporary file the OS cleans up
                }
            }
        }
    }

    private MemCube tierCube(String space, Tier tier, BlobPayload payload, String actor, List<CubeId> derivedFrom) {
        return MemCube.builder()
                .id(CubeId.next(clock))
                .space(space)
                .tier(tier)
                .state(LifecycleState.GENERATED)
                .payload(payload)
                .provenance(new Provenance(Source.DERIVATION, null, actor, null, Operation.MIGRATE, derivedFrom))
                .time(new Temporal(null, null, clock.instant(), null))
                .governance(new Governance(actor, null, 0, java.util.Set.of(), null))
                .build();
    }

    private KernelEvent created(MemCube cube, String actor, Map<String, String> data) {
        return new KernelEvent(UUID.randomUUID(), EventType.CUBE_CREATED, cube.space(), cube.id(), 1, actor,
                cube.time().recordedAt(), data);
    }
}
