package io.netstack.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import io.netstack.spi.LiveResource;
import io.netstack.spi.Ownership;
import io.netstack.spi.Property;
import io.netstack.spi.ResourceSpec;
import io.netstack.spi.ResourceType;
import io.netstack.spi.TypeContext;
import io.netstack.spi.TypeRegistry;
import io.netstack.stack.Reference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Applies a plan by walking its step graph: a step starts when everything it depends on is done,
 * with at most {@code parallelism} in flight. A failure (or a stop request, e.g. SIGINT) stops
 * new work; in-flight steps finish; the result says what was done and what was not. Nothing is
 * remembered between runs: re-running apply re-plans from live state and continues.
 */
public final class Executor {
    public static final int DEFAULT_PARALLELISM = 10;
    /**
     * How often the scheduler looks at the stop flag and at the adaptive limit while steps run. The
     * limit grows as steps park in the rate limiter or a wait, which no completion signals: at 200 ms,
     * 240 steps made ready by two VPCs took ~2 s to be handed out ~10 at a time (BENCHMARKS.md, issue 12).
     */
    private static final long STOP_POLL_MILLIS = 20;
    /** Name of the apply's worker threads; while one runs a step, its name is this, a space and the step's key. */
    public static final String THREAD_NAME = "netstack-apply";

    private final TypeRegistry types;
    private final Parallelism parallelism;
    private final Function<String, String> env;
    /** AWS ids of the objects this apply deletes (DELETE and REPLACE), for DETACH steps. */
    private volatile Set<String> doomedAwsIds = Set.of();
    /**
     * Part of every ClientToken: the fingerprint of the live state the plan saw. A retried call
     * within this apply reuses its token (idempotent); a later apply of the same block after the
     * object was deleted gets a new one — AWS remembers tokens for a day or more and would
     * otherwise answer with the deleted object.
     */
    private volatile String tokenSalt = "";

    public Executor(TypeRegistry types, int parallelism) {
        this(types, Parallelism.fixed(parallelism), System::getenv);
    }

    public Executor(TypeRegistry types, Parallelism parallelism) {
        this(types, parallelism, System::getenv);
    }

    public Executor(TypeRegistry types, int parallelism, Function<String, String> env) {
        this(types, Parallelism.fixed(parallelism), env);
    }

    public Executor(TypeRegistry types, Parallelism parallelism, Function<String, String> env) {
        this.types = types;
        this.parallelism = parallelism;
        this.env = env;
    }

    public ApplyResult apply(Plan plan, TypeContext outer, ExecutionListener listener, AtomicBoolean stop) {
        DependencyGraph<Step> g = ExecutionOrder.graph(plan.changes(), types);
        TypeContext ctx = HandOver.context(outer, HandOver.of(plan.changes(), types));
        tokenSalt = plan.liveFingerprint();
        doomedAwsIds = new java.util.HashSet<>();
        for (Change c : plan.changes()) {
            if ((c.action() == Action.DELETE || c.action() == Action.REPLACE) && c.live() != null) doomedAwsIds.add(c.live().awsId());
        }
        Map<String, LiveResource> current = new ConcurrentHashMap<>(plan.live());
        Map<Step, Integer> waitingOn = new HashMap<>();
        // Longest chain first (list scheduling): a VPC → subnet → NAT gateway → route chain starts
        // before independent leaves, so the slots do not fill with short work while the long chain
        // waits. Ties go by key, so parallelism 1 stays deterministic.
        Map<Step, Integer> height = g.heights();
        TreeSet<Step> ready = new TreeSet<>(java.util.Comparator.<Step>comparingInt(x -> -height.get(x)).thenComparing(java.util.Comparator.naturalOrder()));
        for (Step s : g.nodes()) {
            waitingOn.put(s, g.prerequisites(s).size());
            if (g.prerequisites(s).isEmpty()) ready.add(s);
        }
        List<Step> done = new ArrayList<>();
        Map<Step, Throwable> failed = new LinkedHashMap<>();
        Parallelism.Controller limit = parallelism.start(types.pressure().withWaits(ctx.waiter()));
        ExecutorService pool = Executors.newFixedThreadPool(parallelism.ceiling(), r -> {
            Thread t = new Thread(r, THREAD_NAME);
            t.setDaemon(true);
            return t;
        });
        CompletionService<Step> cs = new ExecutorCompletionService<>(pool);
        Map<Future<Step>, Step> running = new HashMap<>();
        Map<Step, Long> startedAt = new HashMap<>();
        boolean interrupted = false;
        try {
            while (true) {
                while (running.size() < limit.limit() && !ready.isEmpty()) {
                    Step s;
                    // A stop signal's handler sets the flag and says "stopping" holding the flag's
                    // monitor: a change either starts (and says so) before that message, or not at all.
                    synchronized (stop) {
                        if (!failed.isEmpty() || stop.get()) break;
                        s = ready.pollFirst();
                        startedAt.put(s, System.nanoTime());
                        listener.started(s);
                    }
                    running.put(cs.submit(() -> {
                        // A thread dump (and the apply bench's timeline, BENCHMARKS.md) says which step each thread runs.
                        Thread t = Thread.currentThread();
                        String name = t.getName();
                        t.setName(THREAD_NAME + " " + s.key());
                        try {
                            run(s, ctx, current);
                        } finally {
                            t.setName(name);
                        }
                        return s;
                    }), s);
                }
                if (running.isEmpty()) break;
                Future<Step> f;
                try {
                    f = cs.poll(STOP_POLL_MILLIS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                    stop.set(true);
                    continue;
                }
                if (f == null) continue;
                Step s = running.remove(f);
                Duration took = Duration.ofNanos(System.nanoTime() - startedAt.get(s));
                try {
                    f.get();
                    done.add(s);
                    limit.finished();
                    listener.finished(s, took);
                    for (Step d : g.dependents(s)) {
                        if (waitingOn.merge(d, -1, Integer::sum) == 0) ready.add(d);
                    }
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof AwsFailure af) cause = af.withResource(s.change().id());
                    failed.put(s, cause);
                    listener.failed(s, took, cause);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            pool.shutdownNow();
        }
        List<Step> notStarted = g.topologicalOrder().stream()
                .filter(s -> !done.contains(s) && !failed.containsKey(s)).toList();
        return new ApplyResult(done, failed, notStarted, interrupted || (stop.get() && !notStarted.isEmpty()), current);
    }

    private void run(Step s, TypeContext ctx, Map<String, LiveResource> current) {
        Change c = s.change();
        ResourceType type = types.find(c.type()).orElseThrow();
        switch (s.phase()) {
            case CREATE -> {
                ResourceSpec spec = spec(ctx, c, type, current, true);
                LiveResource live = scrubbed(type, spec, () -> type.create(ctx, spec));
                current.put(c.id(), live);
            }
            case UPDATE -> {
                LiveResource live = current.get(c.id());
                ResourceSpec spec = spec(ctx, c, type, current, false);
                Set<String> changed = new TreeSet<>();
                if (c.action() == Action.CREATE || c.action() == Action.REPLACE) {
                    // the follow-up update of late-bound properties after a create
                    type.schema().properties().values().stream().filter(Property::lateBound).forEach(p -> changed.add(p.name()));
                }
                c.diffs().forEach(d -> changed.add(d.topLevel()));
                LiveResource after = scrubbed(type, spec, () -> type.update(ctx, live, spec, changed));
                if (after != null) current.put(c.id(), after);
            }
            case DETACH -> {
                LiveResource live = current.get(c.id());
                if (live == null) live = c.live();
                Set<String> doomed = doomedAwsIds;
                ObjectNode props = live.properties().deepCopy();
                Set<String> changed = new TreeSet<>();
                // Every updatable property lets go of what this apply deletes: list elements naming
                // it are dropped, an optional single reference to it is cleared (e.g. a gateway is
                // detached). A required one stays: the object cannot exist without it.
                for (Property p : type.schema().properties().values()) {
                    if (p.createOnly() || p.writeOnly()) continue;
                    JsonNode v = props.get(p.name());
                    if (v instanceof ArrayNode list) {
                        ArrayNode kept = Json.MAPPER.createArrayNode();
                        for (JsonNode e : list) if (!mentions(e, doomed)) kept.add(e);
                        if (kept.size() != list.size()) {
                            props.set(p.name(), kept);
                            changed.add(p.name());
                        }
                    } else if (!p.required() && v != null && v.isTextual() && doomed.contains(v.asText())) {
                        props.remove(p.name());
                        changed.add(p.name());
                    }
                }
                if (!changed.isEmpty()) {
                    LiveResource after = type.update(ctx, live, new ResourceSpec(c.id(), c.type(), props, Map.of(), null, null), changed);
                    if (after != null) current.put(c.id(), after);
                }
            }
            case DELETE -> {
                type.delete(ctx, c.live());
                if (c.key().equals(c.id())) current.remove(c.id(), c.live());
            }
        }
    }

    /**
     * Runs a call that was given the spec's write-only values. AWS error messages can quote the
     * request (Direct Connect repeats a rejected BGP auth key): if any text of the failure or its
     * causes holds a secret, the failure is rebuilt with every secret replaced by
     * {@code (sensitive)} and without its causes (an SDK exception's message would repeat it).
     * Done here, once for every type, so no type can forget it.
     */
    static <T> T scrubbed(ResourceType type, ResourceSpec spec, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            List<String> secrets = new ArrayList<>();
            for (String v : Secrets.values(type, spec.properties()).values()) if (!v.isEmpty()) secrets.add(v);
            throw scrub(e, secrets);
        }
    }

    static RuntimeException scrub(RuntimeException e, List<String> secrets) {
        boolean leaked = false;
        for (Throwable t = e; t != null && !leaked; t = t.getCause()) {
            for (String s : secrets) leaked |= t.getMessage() != null && t.getMessage().contains(s) || t.toString().contains(s);
        }
        if (!leaked) return e;
        String msg = e instanceof AwsFailure f ? f.getMessage() : e.getMessage() == null ? e.toString() : e.getMessage();
        for (String s : secrets) msg = msg.replace(s, PlanJson.SENSITIVE);
        if (e instanceof AwsFailure f) {
            String code = f.code();
            for (String s : secrets) if (code != null) code = code.replace(s, PlanJson.SENSITIVE);
            return new AwsFailure(f.category(), f.resource(), f.action(), code, f.requestId(), msg, null);
        }
        return new AwsFailure(ErrorCategory.OTHER, null, null, msg);
    }

    /** Desired properties with every reference resolved against what exists now. */
    ResourceSpec spec(TypeContext ctx, Change c, ResourceType type, Map<String, LiveResource> current, boolean creating) {
        ObjectNode props = c.desired().deepCopy();
        for (Map.Entry<String, Property> e : type.schema().properties().entrySet()) {
            JsonNode v = props.get(e.getKey());
            if (v == null) continue;
            if (creating && e.getValue().lateBound()) v = withoutMissing(v, current);
            props.set(e.getKey(), resolve(c.id(), v, current, e.getValue()));
        }
        Map<String, String> tags = new TreeMap<>(Ownership.tags(ctx.stack(), c.id()));
        JsonNode t = props.get("tags");
        // the block's tags may set Name (validation keeps them off netstack:*)
        if (t != null && t.isObject()) t.fields().forEachRemaining(x -> tags.put(x.getKey(), x.getValue().asText()));
        String digest = Json.sha256(ctx.stack() + "/" + c.id() + "/" + tokenSalt + "/" + Json.canonical(withoutSecrets(type, props)));
        // The tag is written at creation only (no type rewrites it on update): spare the slow KDF otherwise.
        String secrets = creating ? Secrets.digest(ctx.stack(), c.id(), type, props) : null;
        if (secrets != null) tags.put(ResourceSpec.SECRETS_TAG, secrets);
        return new ResourceSpec(c.id(), c.type(), props, tags, "netstack-" + digest.substring(0, 40), secrets);
    }

    private static boolean mentions(JsonNode n, Set<String> ids) {
        if (n.isTextual()) return ids.contains(n.asText());
        for (JsonNode c : n) if (mentions(c, ids)) return true;
        return false;
    }

    /**
     * A late-bound value for the create: the list as it is if every resource its elements reference
     * exists, else empty — the follow-up update then writes the whole list at once. Writing the
     * elements that could be written now and the rest later would cost two writes of the list (for
     * security groups: two AuthorizeSecurityGroupIngress calls, EC2's scarcest bucket, 5/s: issue 12);
     * and a resource whose update fails is left with none of its late-bound elements rather than
     * some of them.
     */
    private static JsonNode withoutMissing(JsonNode v, Map<String, LiveResource> current) {
        if (!v.isArray()) return v;
        boolean[] missing = {false};
        References.forEach(v, "", (p, ref) -> {
            if (ref.kind() == Reference.Kind.RESOURCE && !current.containsKey(ref.target())) missing[0] = true;
        });
        return missing[0] ? Json.MAPPER.createArrayNode() : v;
    }

    private static ObjectNode withoutSecrets(ResourceType type, ObjectNode props) {
        ObjectNode copy = props.deepCopy();
        type.schema().properties().values().stream().filter(Property::writeOnly).forEach(p -> copy.remove(p.name()));
        return copy;
    }

    /** {@code p}: the schema of {@code v} (null when unknown), so that write-only fields nested in objects and lists may take ${env.NAME}. */
    private JsonNode resolve(String self, JsonNode v, Map<String, LiveResource> current, Property p) {
        boolean writeOnly = p != null && p.writeOnly();
        if (v.isTextual()) {
            Optional<Reference> r = Reference.whole(v.asText());
            if (r.isEmpty()) return v;
            Reference ref = r.get();
            switch (ref.kind()) {
                case RESOURCE -> {
                    LiveResource l = current.get(ref.target());
                    if (l == null) throw new AwsFailure(ErrorCategory.NOT_FOUND, self, null, ref + " does not exist (it was not created, or was deleted)");
                    if (ref.attribute() == null || ref.attribute().equals("id")) return TextNode.valueOf(l.awsId());
                    String a = l.attributes().get(ref.attribute());
                    if (a == null) throw new AwsFailure(ErrorCategory.NOT_FOUND, self, null, ref + " has no value");
                    return TextNode.valueOf(a);
                }
                case ENV -> {
                    String val = writeOnly ? env.apply(ref.target()) : null;
                    if (val == null) throw new AwsFailure(ErrorCategory.INVALID_REQUEST, self, null, "environment variable " + ref.target() + " is not set");
                    return TextNode.valueOf(val);
                }
                default -> {
                    return v;
                }
            }
        }
        if (v.isObject()) {
            ObjectNode o = ((ObjectNode) v).deepCopy();
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            for (String k : names) o.set(k, resolve(self, o.get(k), current, p == null ? null : p.field(k)));
            return o;
        }
        if (v.isArray()) {
            ArrayNode a = ((ArrayNode) v).deepCopy();
            for (int i = 0; i < a.size(); i++) a.set(i, resolve(self, a.get(i), current, p == null ? null : p.item()));
            return a;
        }
        return v;
    }
}
