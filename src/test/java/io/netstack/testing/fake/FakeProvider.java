package io.netstack.testing.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import io.netstack.spi.LiveResource;
import io.netstack.spi.Ownership;
import io.netstack.spi.Property;
import io.netstack.spi.ResourceSpec;
import io.netstack.spi.ResourceType;
import io.netstack.spi.ResourceView;
import io.netstack.spi.Schema;
import io.netstack.spi.TypeRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * An in-memory "AWS" for engine tests (docs/DESIGN.md, Tests: "the planner and executor are tested with
 * an in-memory provider (latency and faults injectable)"). It behaves the way the engine must
 * expect AWS to behave, so engine bugs show up as failures rather than being papered over:
 *
 * <ul>
 *   <li><b>Ownership by tags</b>: objects carry {@code netstack:stack}/{@code netstack:id} tags;
 *       {@code list} returns only objects tagged for the context's stack (both tags present).
 *       A create without both ownership tags is rejected.</li>
 *   <li><b>Referential integrity</b>: a create/update naming an AWS id that does not exist fails
 *       NOT_FOUND; deleting an object that another object references through a <em>blocking</em>
 *       property (like a subnet's VPC, or a security-group rule naming another group) fails
 *       DEPENDENCY_VIOLATION, which the types retry under {@link #deleteTimeout} (as real types do).</li>
 *   <li><b>Contract checks</b>: an update asked to change a create-only property, or any value still
 *       containing {@code ${…}} reaching the "API", fails INVALID_REQUEST (an engine bug).</li>
 *   <li><b>Idempotent creates</b>: a repeated ClientToken returns the object made with it.</li>
 *   <li><b>Eventual consistency</b>: {@link #notFoundAfterCreate} makes a new object invisible
 *       for its next n lookups (read-back or being named by another call).</li>
 *   <li><b>Faults and latency</b> per type/operation/logical id, counted per API attempt.</li>
 *   <li><b>Recording</b>: every type-level call (list/create/update/delete) with a global sequence
 *       number at start and end, so tests can assert ordering and parallelism exactly.</li>
 * </ul>
 *
 * Types: {@code net} (like a VPC), {@code part} (like a subnet), {@code gate} (like an internet
 * gateway), {@code link} (like a NAT route: updatable reference, implicit dependency on the gates
 * of its part's net) and {@code rule-holder} (like a security group with late-bound peer references).
 */
public final class FakeProvider implements TypeRegistry {
    public enum Op { LIST, CREATE, UPDATE, DELETE }

    /** One type-level call. {@code startSeq}/{@code endSeq} come from one global counter. */
    public record Call(long startSeq, long endSeq, String type, Op op, String id, String awsId,
                       long startNanos, long endNanos, ResourceSpec spec, Set<String> changed, Throwable error) {
        public boolean failed() {
            return error != null;
        }

        /** This call ended before {@code o} started. */
        public boolean before(Call o) {
            return endSeq < o.startSeq;
        }

        public boolean overlaps(Call o) {
            return startSeq < o.endSeq && o.startSeq < endSeq;
        }

        @Override
        public String toString() {
            return op + " " + type + " " + id + " [" + startSeq + ".." + endSeq + "]" + (error == null ? "" : " FAILED " + error);
        }
    }

    /** An object in the fake cloud. Properties hold AWS ids; write-only values are kept apart. */
    public static final class FakeObject {
        public final String type;
        public final String awsId;
        public final long created;
        ObjectNode props;
        Map<String, String> tags;
        final Map<String, String> secrets = new TreeMap<>();
        final Map<String, String> attributes = new TreeMap<>();
        int invisibleLookups;
        int invisibleAsReference;

        FakeObject(String type, String awsId, long created) {
            this.type = type;
            this.awsId = awsId;
            this.created = created;
        }

        public ObjectNode props() { return props.deepCopy(); }
        public Map<String, String> tags() { return Map.copyOf(tags); }
        public Map<String, String> secrets() { return Map.copyOf(secrets); }
        public Map<String, String> attributes() { return Map.copyOf(attributes); }
        public String stack() { return tags.get(Ownership.STACK_TAG); }
        public String logicalId() { return tags.get(Ownership.ID_TAG); }
        public String text(String p) { JsonNode n = props.get(p); return n == null || n.isNull() ? null : n.asText(); }

        @Override
        public String toString() {
            return type + " " + awsId + " " + tags + " " + props;
        }
    }

    private record Fault(String type, Op op, String id, int nth, ErrorCategory category, boolean afterMutation, AtomicInteger remaining) {}

    private record Latency(String type, Op op, String id, Duration delay) {}

    private record Rendezvous(String type, Op op, java.util.concurrent.CountDownLatch latch) {}

    private final Map<String, FakeType> types = new LinkedHashMap<>();
    private final Map<String, FakeObject> objects = new LinkedHashMap<>();
    private final Map<String, String> tokens = new HashMap<>();
    private final Map<String, AtomicInteger> idCounters = new HashMap<>();
    private final AtomicLong clock = new AtomicLong();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final List<Latency> latencies = new CopyOnWriteArrayList<>();
    private final List<Rendezvous> rendezvous = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> invisibleAfterCreate = new ConcurrentHashMap<>();
    private final Map<String, Integer> invisibleAsReferenceAfterCreate = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile io.netstack.spi.Pressure pressure = io.netstack.spi.Pressure.NONE;

    /** How long types retry DEPENDENCY_VIOLATION on delete (real types: minutes; kept short here). */
    volatile Duration deleteTimeout = Duration.ofSeconds(2);
    /** How long types retry NOT_FOUND of just-created objects (real: 5 min). */
    volatile Duration propagationTimeout = Duration.ofSeconds(2);

    public FakeProvider() {
        register(FakeType.builder(this, "net", "net-")
                .schema(new Schema(true, List.of("arn"),
                        Property.cidr("cidr").required().createOnly(),
                        Property.bool("flag").defaultValue(false),
                        Property.string("note")))
                .attribute("arn", o -> "arn:fake:net/" + o.awsId)
                .build());
        register(FakeType.builder(this, "part", "part-")
                .schema(new Schema(true, List.of("arn", "address"),
                        Property.ref("net", List.of("net"), List.of("net-")).required().createOnly(),
                        Property.integer("size").createOnly().range(1, 64).defaultValue(16),
                        Property.string("label"),
                        Property.string("secret").writeOnly()))
                .blocking("net")
                .attribute("arn", o -> "arn:fake:part/" + o.awsId)
                .attribute("address", o -> "10.9." + Integer.parseInt(o.awsId.substring(5)) + ".0")
                .build());
        register(FakeType.builder(this, "gate", "gate-")
                .schema(new Schema(true, List.of("arn"),
                        Property.ref("net", List.of("net"), List.of("net-")).required().createOnly()))
                .blocking("net")
                .attribute("arn", o -> "arn:fake:gate/" + o.awsId)
                .build());
        register(FakeType.builder(this, "link", "link-")
                .schema(new Schema(true, List.of("arn"),
                        Property.ref("target", List.of("part", "gate"), List.of("part-", "gate-")).required(),
                        Property.string("mode").oneOf("a", "b").defaultValue("a")))
                .attribute("arn", o -> "arn:fake:link/" + o.awsId)
                // Like a NAT gateway needing its VPC's internet gateway: a link to a part comes after
                // every gate of that part's net (and, on destroy, goes before them).
                .implicit((self, stack) -> self.ref("target").flatMap(stack::get)
                        .filter(t -> t.type().equals("part"))
                        .flatMap(p -> p.ref("net"))
                        .map(net -> stack.ofType("gate").filter(g -> g.ref("net").filter(net::equals).isPresent())
                                .map(ResourceView::id).collect(Collectors.toSet()))
                        .orElse(Set.of()))
                .build());
        // Like an internet gateway: attached to a net in place, and the net cannot be deleted while it is.
        register(FakeType.builder(this, "attachment", "att-")
                .schema(new Schema(true, List.of("arn"),
                        Property.ref("net", List.of("net"), List.of("net-"))))
                .blocking("net")
                .attribute("arn", o -> "arn:fake:attachment/" + o.awsId)
                .build());
        register(FakeType.builder(this, "rule-holder", "rh-")
                .schema(new Schema(true, List.of("arn"),
                        Property.ref("net", List.of("net"), List.of("net-")).required().createOnly(),
                        Property.string("name").createOnly(),
                        Property.list("peers", Property.ref("peer", List.of("rule-holder"), List.of("rh-"))).lateBound().defaultEmptyList()))
                .blocking("net", "peers")
                .revokeOnDelete("peers")
                .attribute("arn", o -> "arn:fake:rule-holder/" + o.awsId)
                .build());
    }

    private void register(FakeType t) {
        types.put(t.name(), t);
    }

    // ---------------------------------------------------------------- registry

    @Override
    public Optional<ResourceType> find(String name) {
        return Optional.ofNullable(types.get(name));
    }

    @Override
    public Collection<ResourceType> all() {
        return List.copyOf(types.values());
    }

    @Override
    public synchronized Optional<LiveResource> findInStack(String stack, String id) {
        return objects.values().stream()
                .filter(o -> stack.equals(o.stack()) && id.equals(o.logicalId()))
                .min(Comparator.comparing(o -> o.awsId))
                .map(this::toLive);
    }

    public FakeType type(String name) {
        return types.get(name);
    }

    // ---------------------------------------------------------------- injection

    /** The {@code nth} API attempt (1-based, counted per type and operation) fails with {@code category}. */
    /** What {@link #pressure()} reports (throttles, calls held by a rate limiter). */
    public FakeProvider pressure(io.netstack.spi.Pressure p) {
        this.pressure = p;
        return this;
    }

    @Override
    public io.netstack.spi.Pressure pressure() {
        return pressure;
    }

    public FakeProvider failNth(String type, Op op, int nth, ErrorCategory category) {
        faults.add(new Fault(type, op, null, nth, category, false, new AtomicInteger(1)));
        return this;
    }

    /** The next {@code times} API attempts of {@code op} on logical id {@code id} fail before changing anything. */
    public FakeProvider fail(String type, Op op, String id, ErrorCategory category, int times) {
        faults.add(new Fault(type, op, id, 0, category, false, new AtomicInteger(times)));
        return this;
    }

    /** The next create of {@code id} makes the object (tagged, as AWS would) and then fails. */
    public FakeProvider failAfterCreate(String type, String id, ErrorCategory category) {
        faults.add(new Fault(type, Op.CREATE, id, 0, category, true, new AtomicInteger(1)));
        return this;
    }

    /** Every API attempt matching (null = any) sleeps {@code delay} (the last matching rule wins). */
    public FakeProvider latency(String type, Op op, String id, Duration delay) {
        latencies.add(new Latency(type, op, id, delay));
        return this;
    }

    public FakeProvider latency(String type, Op op, Duration delay) {
        return latency(type, op, null, delay);
    }

    /**
     * The first {@code parties} API attempts of {@code op} on {@code type} wait for each other before
     * going on (then latency and faults apply), so a test can know they were in flight together
     * without relying on timing. Later attempts pass straight through. Gives up after 5 s.
     */
    public FakeProvider rendezvous(String type, Op op, int parties) {
        rendezvous.add(new Rendezvous(type, op, new java.util.concurrent.CountDownLatch(parties)));
        return this;
    }

    /** Objects of {@code type} are invisible (NOT_FOUND) for their first {@code lookups} lookups after create. */
    public FakeProvider notFoundAfterCreate(String type, int lookups) {
        invisibleAfterCreate.put(type, lookups);
        return this;
    }

    /**
     * Objects of {@code type} are NOT_FOUND for the first {@code calls} other calls that name them after
     * their create (e.g. CreateSubnet with a VpcId a moment old), though their own read-back works.
     */
    public FakeProvider notFoundAsReferenceAfterCreate(String type, int calls) {
        invisibleAsReferenceAfterCreate.put(type, calls);
        return this;
    }

    public FakeProvider deleteTimeout(Duration d) {
        deleteTimeout = d;
        return this;
    }

    public FakeProvider propagationTimeout(Duration d) {
        propagationTimeout = d;
        return this;
    }

    // ---------------------------------------------------------------- out-of-band manipulation ("the console")

    /** Puts an object owned by {@code stack}/{@code id} (defaults filled), as if made by an earlier run. */
    public synchronized String put(String type, String stack, String id, ObjectNode props) {
        Map<String, String> tags = new TreeMap<>();
        if (stack != null) tags.put(Ownership.STACK_TAG, stack);
        if (id != null) tags.put(Ownership.ID_TAG, id);
        if (stack != null && id != null) tags.put("Name", stack + "/" + id);
        return putTagged(type, tags, props);
    }

    /** Puts an object with exactly these tags (e.g. none: not netstack's). */
    public synchronized String putTagged(String type, Map<String, String> tags, ObjectNode props) {
        FakeType t = types.get(type);
        FakeObject o = newObject(t);
        ObjectNode p = props.deepCopy();
        for (Property prop : t.schema().properties().values()) {
            if (!p.has(prop.name()) && prop.defaultValue() != null && !prop.name().equals("tags")) p.set(prop.name(), prop.defaultValue().deepCopy());
        }
        JsonNode userTags = p.remove("tags");
        o.props = p;
        o.tags = new TreeMap<>(tags);
        if (userTags != null) userTags.fields().forEachRemaining(e -> o.tags.put(e.getKey(), e.getValue().asText()));
        t.fillAttributes(o);
        objects.put(o.awsId, o);
        return o.awsId;
    }

    /** Changes a property behind netstack's back (drift). */
    public synchronized void modify(String awsId, String property, JsonNode value) {
        FakeObject o = require(awsId);
        if (value == null) o.props.remove(property);
        else o.props.set(property, value);
    }

    public synchronized void tag(String awsId, String key, String value) {
        FakeObject o = require(awsId);
        if (value == null) o.tags.remove(key);
        else o.tags.put(key, value);
    }

    public synchronized void remove(String awsId) {
        objects.remove(awsId);
    }

    // ---------------------------------------------------------------- inspection

    public synchronized List<FakeObject> objects() {
        return List.copyOf(objects.values());
    }

    public synchronized List<FakeObject> objects(String type) {
        return objects.values().stream().filter(o -> o.type.equals(type)).toList();
    }

    public synchronized Optional<FakeObject> object(String awsId) {
        return Optional.ofNullable(objects.get(awsId));
    }

    /** The objects tagged for {@code stack}/{@code id}. */
    public synchronized List<FakeObject> owned(String stack, String id) {
        return objects.values().stream().filter(o -> stack.equals(o.stack()) && id.equals(o.logicalId())).toList();
    }

    /** The single object tagged for {@code stack}/{@code id}; fails if there is not exactly one. */
    public FakeObject the(String stack, String id) {
        List<FakeObject> l = owned(stack, id);
        if (l.size() != 1) throw new AssertionError("expected exactly one object for " + stack + "/" + id + ", found " + l);
        return l.get(0);
    }

    public String awsId(String stack, String id) {
        return the(stack, id).awsId;
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<Call> calls(Predicate<Call> p) {
        return calls.stream().filter(p).toList();
    }

    public List<Call> calls(String type, Op op) {
        return calls(c -> c.type.equals(type) && c.op == op);
    }

    /** The single call of {@code op} on logical id {@code id}; fails if there is not exactly one. */
    public Call call(Op op, String id) {
        List<Call> l = calls(c -> c.op == op && id.equals(c.id));
        if (l.size() != 1) throw new AssertionError("expected exactly one " + op + " of " + id + ", got " + l);
        return l.get(0);
    }

    public int count(String type, Op op) {
        return calls(type, op).size();
    }

    public int count(Op op) {
        return calls(c -> c.op == op).size();
    }

    /** API attempts (a retried call counts once per attempt). */
    public int attempts(String type, Op op) {
        AtomicInteger n = attempts.get(type + "/" + op);
        return n == null ? 0 : n.get();
    }

    /** The largest number of matching calls that were running at the same moment. */
    public int maxConcurrent(Predicate<Call> p) {
        List<long[]> events = new ArrayList<>();
        for (Call c : calls(p)) {
            events.add(new long[] {c.startSeq, +1});
            events.add(new long[] {c.endSeq, -1});
        }
        events.sort(Comparator.comparingLong(e -> e[0]));
        int cur = 0, max = 0;
        for (long[] e : events) {
            cur += (int) e[1];
            max = Math.max(max, cur);
        }
        return max;
    }

    /** Peak number of mutating calls in flight, measured live (independent of the recording). */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    public void resetCalls() {
        calls.clear();
        attempts.clear();
        maxInFlight.set(0);
    }

    // ---------------------------------------------------------------- machinery used by FakeType

    long tick() {
        return clock.incrementAndGet();
    }

    <T> T record(String type, Op op, String id, ResourceSpec spec, Set<String> changed, Supplier<T> body, java.util.function.Function<T, String> awsIdOf, String knownAwsId) {
        long start = tick(), startNanos = System.nanoTime();
        boolean mutating = op != Op.LIST;
        if (mutating) {
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
        }
        try {
            T result = body.get();
            String awsId = knownAwsId != null ? knownAwsId : (result == null ? null : awsIdOf.apply(result));
            calls.add(new Call(start, tick(), type, op, id, awsId, startNanos, System.nanoTime(), spec, changed, null));
            return result;
        } catch (RuntimeException e) {
            calls.add(new Call(start, tick(), type, op, id, knownAwsId, startNanos, System.nanoTime(), spec, changed, e));
            throw e;
        } finally {
            if (mutating) inFlight.decrementAndGet();
        }
    }

    /** One API attempt: latency, then injected faults, then the operation. */
    <T> T api(String type, Op op, String id, String action, Supplier<T> operation) {
        int n = attempts.computeIfAbsent(type + "/" + op, k -> new AtomicInteger()).incrementAndGet();
        for (Rendezvous r : rendezvous) {
            if (!r.type.equals(type) || r.op != op || r.latch.getCount() == 0) continue;
            r.latch.countDown();
            try {
                if (!r.latch.await(5, java.util.concurrent.TimeUnit.SECONDS)) {
                    throw failure(ErrorCategory.OTHER, id, action, "rendezvous of " + type + " " + op + " timed out: fewer calls ran together than expected");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure(ErrorCategory.OTHER, id, action, "interrupted in rendezvous");
            }
        }
        Duration d = null;
        for (Latency l : latencies) {
            if ((l.type == null || l.type.equals(type)) && (l.op == null || l.op == op) && (l.id == null || l.id.equals(id))) d = l.delay;
        }
        if (d != null && !d.isZero()) {
            try {
                Thread.sleep(d.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AwsFailure(ErrorCategory.TRANSIENT, id, action, "interrupted");
            }
        }
        Fault after = null;
        for (Fault f : faults) {
            if (!f.type.equals(type) || f.op != op || (f.id != null && !f.id.equals(id)) || (f.nth != 0 && f.nth != n)) continue;
            if (f.remaining.getAndUpdate(r -> Math.max(0, r - 1)) <= 0) continue;
            if (f.afterMutation) {
                after = f;
                break;
            }
            throw failure(f.category, id, action, "injected " + f.category + " on attempt " + n);
        }
        T result = operation.get();
        if (after != null) throw failure(after.category, id, action, "injected " + after.category + " after the object was made");
        return result;
    }

    static AwsFailure failure(ErrorCategory c, String id, String action, String message) {
        return new AwsFailure(c, id, action, "Fake." + c.name(), "req-" + Math.abs(message.hashCode() % 100000), message, null);
    }

    synchronized FakeObject require(String awsId) {
        FakeObject o = objects.get(awsId);
        if (o == null) throw new IllegalArgumentException("no object " + awsId);
        return o;
    }

    synchronized FakeObject newObject(FakeType t) {
        int n = idCounters.computeIfAbsent(t.prefix, k -> new AtomicInteger()).incrementAndGet();
        return new FakeObject(t.name(), t.prefix + String.format("%08d", n), tick());
    }

    /** A lookup of an object by AWS id, subject to eventual consistency. */
    synchronized FakeObject lookup(String id, String action, String awsId) {
        FakeObject o = objects.get(awsId);
        if (o == null) throw failure(ErrorCategory.NOT_FOUND, id, action, "The ID '" + awsId + "' does not exist");
        if (o.invisibleLookups > 0) {
            o.invisibleLookups--;
            throw failure(ErrorCategory.NOT_FOUND, id, action, "The ID '" + awsId + "' does not exist (not visible yet)");
        }
        return o;
    }

    synchronized String createObject(FakeType t, String stack, ResourceSpec spec, String action) {
        if (spec.clientToken() != null && tokens.containsKey(spec.clientToken()) && objects.containsKey(tokens.get(spec.clientToken()))) {
            return tokens.get(spec.clientToken());
        }
        if (!stack.equals(spec.tags().get(Ownership.STACK_TAG)) || !spec.id().equals(spec.tags().get(Ownership.ID_TAG))) {
            throw failure(ErrorCategory.INVALID_REQUEST, spec.id(), action, "created without ownership tags: " + spec.tags());
        }
        checkValues(t, spec, action, spec.properties().fieldNames());
        for (Property p : t.schema().properties().values()) {
            if (p.required() && !spec.properties().has(p.name())) throw failure(ErrorCategory.INVALID_REQUEST, spec.id(), action, "missing " + p.name());
        }
        FakeObject o = newObject(t);
        ObjectNode props = spec.properties().deepCopy();
        props.remove("tags");
        for (Property p : t.schema().properties().values()) {
            if (p.writeOnly()) {
                JsonNode v = props.remove(p.name());
                if (v != null) o.secrets.put(p.name(), v.asText());
            }
        }
        o.props = props;
        o.tags = new TreeMap<>(spec.tags());
        o.invisibleLookups = invisibleAfterCreate.getOrDefault(t.name(), 0);
        o.invisibleAsReference = invisibleAsReferenceAfterCreate.getOrDefault(t.name(), 0);
        t.fillAttributes(o);
        objects.put(o.awsId, o);
        if (spec.clientToken() != null) tokens.put(spec.clientToken(), o.awsId);
        return o.awsId;
    }

    synchronized void updateObject(FakeType t, String awsId, ResourceSpec spec, Set<String> changed, String action) {
        FakeObject o = objects.get(awsId);
        if (o == null) throw failure(ErrorCategory.NOT_FOUND, spec.id(), action, "The ID '" + awsId + "' does not exist");
        checkValues(t, spec, action, changed.iterator());
        for (String name : changed) {
            Property p = t.schema().property(name);
            if (p == null) throw failure(ErrorCategory.INVALID_REQUEST, spec.id(), action, "unknown property " + name);
            JsonNode want = spec.properties().get(name);
            if (name.equals("tags")) {
                if (!o.stack().equals(spec.tags().get(Ownership.STACK_TAG)) || !o.logicalId().equals(spec.tags().get(Ownership.ID_TAG))) {
                    throw failure(ErrorCategory.INVALID_REQUEST, spec.id(), action, "update would drop ownership tags: " + spec.tags());
                }
                o.tags = new TreeMap<>(spec.tags());
            } else if (p.writeOnly()) {
                if (want == null) o.secrets.remove(name);
                else o.secrets.put(name, want.asText());
            } else if (p.createOnly()) {
                JsonNode have = o.props.get(name);
                if (!java.util.Objects.equals(have, want)) {
                    throw failure(ErrorCategory.INVALID_REQUEST, spec.id(), action, name + " cannot be modified (create-only): " + have + " -> " + want);
                }
            } else if (want == null || want.isNull()) {
                o.props.remove(name);
            } else {
                o.props.set(name, want.deepCopy());
            }
        }
        t.fillAttributes(o);
    }

    synchronized void revoke(String awsId, List<String> listProps) {
        FakeObject o = objects.get(awsId);
        if (o == null) return;
        for (String p : listProps) o.props.set(p, JsonNodeFactory.instance.arrayNode());
    }

    synchronized void deleteObject(String id, String awsId, String action) {
        FakeObject o = objects.get(awsId);
        if (o == null) throw failure(ErrorCategory.NOT_FOUND, id, action, "The ID '" + awsId + "' does not exist");
        for (FakeObject other : objects.values()) {
            if (other == o) continue;
            FakeType ot = types.get(other.type);
            for (String b : ot.blocking) {
                JsonNode v = other.props.get(b);
                if (v == null) continue;
                boolean refers = v.isArray() ? containsText(v, awsId) : awsId.equals(v.asText());
                if (refers) {
                    throw failure(ErrorCategory.DEPENDENCY_VIOLATION, id, action,
                            "resource " + awsId + " has a dependent object (" + other.awsId + "." + b + ")");
                }
            }
        }
        objects.remove(awsId);
    }

    private static boolean containsText(JsonNode arr, String s) {
        for (JsonNode e : arr) if (s.equals(e.asText())) return true;
        return false;
    }

    /** Unresolved references are an engine bug; references to missing objects are NOT_FOUND. */
    private void checkValues(FakeType t, ResourceSpec spec, String action, java.util.Iterator<String> names) {
        while (names.hasNext()) {
            String name = names.next();
            JsonNode v = spec.properties().get(name);
            if (v == null) continue;
            if (v.toString().contains("${")) {
                throw failure(ErrorCategory.INVALID_REQUEST, spec.id(), action, "unresolved reference reached the API: " + name + "=" + v);
            }
            Property p = t.schema().property(name);
            if (p == null) continue;
            List<String> refs = new ArrayList<>();
            if (p.kind() == Property.Kind.REF && v.isTextual()) refs.add(v.asText());
            if (p.kind() == Property.Kind.LIST && p.item() != null && p.item().kind() == Property.Kind.REF && v.isArray()) v.forEach(e -> refs.add(e.asText()));
            for (String r : refs) {
                FakeObject target = lookup(spec.id(), action, r);
                if (target.invisibleAsReference > 0) {
                    target.invisibleAsReference--;
                    throw failure(ErrorCategory.NOT_FOUND, spec.id(), action, "The ID '" + r + "' does not exist (named a moment after its create)");
                }
            }
        }
    }

    /** The live object as its type's {@code list} would return it, for the given stack. */
    synchronized LiveResource toLive(FakeObject o) {
        ObjectNode p = o.props.deepCopy();
        ObjectNode userTags = p.putObject("tags");
        new TreeMap<>(o.tags).forEach((k, v) -> {
            if (!k.startsWith("netstack:") && !k.startsWith("aws:")) userTags.put(k, v); // Name is the user's (issue 11)
        });
        return new LiveResource(o.logicalId(), o.type, o.awsId, p, Map.copyOf(o.attributes));
    }

    synchronized List<LiveResource> listOwned(String type, String stack) {
        List<LiveResource> out = new ArrayList<>();
        for (FakeObject o : objects.values()) {
            // Tags re-checked client-side: both ownership tags, for this stack.
            if (o.type.equals(type) && stack.equals(o.stack()) && o.logicalId() != null) out.add(toLive(o));
        }
        return out;
    }
}
