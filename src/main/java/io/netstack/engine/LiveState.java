package io.netstack.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.spi.AwsFailure;
import io.netstack.spi.LiveResource;
import io.netstack.spi.ResourceType;
import io.netstack.spi.TypeContext;
import io.netstack.spi.TypeRegistry;
import io.netstack.stack.JsonTexts;
import io.netstack.stack.Reference;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Everything a stack owns in AWS, read with one {@code list} per type (types read in parallel:
 * each is an independent Describe with its own throttling bucket).
 * Two objects with the same logical id (possible only if two runs raced a create) are kept
 * apart: the oldest by AWS id order is primary, the others are duplicates for the plan to delete.
 */
public final class LiveState {
    /** Types are few (≤ 30); reading them in parallel bounds a plan's read time by the slowest type. */
    static final int READ_PARALLELISM = 8;

    private final Map<String, LiveResource> byId = new LinkedHashMap<>();
    private final List<LiveResource> duplicates = new ArrayList<>();
    private final Map<String, String> idByAwsId = new HashMap<>();

    public LiveState(Collection<LiveResource> all) {
        List<LiveResource> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparing(LiveResource::id).thenComparing(LiveResource::awsId));
        for (LiveResource r : sorted) {
            if (byId.containsKey(r.id())) duplicates.add(r);
            else byId.put(r.id(), r);
            idByAwsId.putIfAbsent(r.awsId(), r.id());
        }
    }

    public static LiveState read(TypeRegistry types, TypeContext ctx) {
        return read(types, ctx, null);
    }

    /**
     * Reads the types named in {@code scope} (null: every type). A type outside the scope is not
     * called at all: a stack that has no Direct Connect needs no Direct Connect permission.
     */
    public static LiveState read(TypeRegistry types, TypeContext ctx, java.util.Set<String> scope) {
        List<ResourceType> all = new ArrayList<>(types.all());
        if (scope != null) all.removeIf(t -> !scope.contains(t.name()));
        return new LiveState(readEach(all, "read", "reading live state", t -> t.list(ctx)));
    }

    /**
     * {@code read} of every type, {@link #READ_PARALLELISM} at a time on daemon threads named
     * {@code netstack-<thread>}, the answers joined in the types' order; a type's failure is the whole
     * read's; an interrupt fails it "while {@code doing}".
     */
    static List<LiveResource> readEach(List<ResourceType> types, String thread, String doing, java.util.function.Function<ResourceType, List<LiveResource>> read) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(READ_PARALLELISM, Math.max(1, types.size())), r -> {
            Thread t = new Thread(r, "netstack-" + thread);
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<List<LiveResource>>> futures = new ArrayList<>();
            for (ResourceType t : types) futures.add(pool.submit(() -> read.apply(t)));
            List<LiveResource> out = new ArrayList<>();
            for (Future<List<LiveResource>> f : futures) {
                try {
                    out.addAll(f.get());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException re) throw re;
                    throw new AwsFailure(io.netstack.spi.ErrorCategory.OTHER, null, null, e.getCause().toString());
                }
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + doing, e);
        } finally {
            pool.shutdownNow();
        }
    }

    public Map<String, LiveResource> byId() {
        return byId;
    }

    public List<LiveResource> duplicates() {
        return duplicates;
    }

    public String idOf(String awsId) {
        return idByAwsId.get(awsId);
    }

    /**
     * The live properties with AWS ids of owned objects replaced by {@code ${id}}, the object's own
     * id included: a security group rule may name its own group (issue 11).
     */
    public ObjectNode logical(LiveResource r) {
        return (ObjectNode) JsonTexts.replace(r.properties().deepCopy(), t -> idByAwsId.containsKey(t) ? Reference.of(idByAwsId.get(t)) : null);
    }

    /** Changes whenever anything owned changes: a saved plan made against other state is stale. */
    public String fingerprint() {
        StringBuilder sb = new StringBuilder();
        List<LiveResource> all = new ArrayList<>(byId.values());
        all.addAll(duplicates);
        all.sort(Comparator.comparing(LiveResource::id).thenComparing(LiveResource::awsId));
        for (LiveResource r : all) {
            sb.append(r.id()).append('\0').append(r.type()).append('\0').append(r.awsId()).append('\0')
                    .append(Json.canonical(r.properties())).append('\n');
        }
        return Json.sha256(sb.toString());
    }
}
