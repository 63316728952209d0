package io.netstack.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.netstack.spi.LiveResource;
import io.netstack.spi.ObservedSecrets;
import io.netstack.spi.Ownership;
import io.netstack.spi.Property;
import io.netstack.spi.ResourceType;
import io.netstack.spi.ResourceView;
import io.netstack.spi.StackView;
import io.netstack.spi.TypeContext;
import io.netstack.spi.TypeRegistry;
import io.netstack.stack.JsonTexts;
import io.netstack.stack.Reference;
import io.netstack.stack.ResourceBlock;
import io.netstack.stack.StackFile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Stack file + live state → {@link Plan}. Reads each type once ({@link LiveState#read}), puts both
 * sides in canonical logical form, diffs them by schema, and cascades replacements to dependents
 * whose reference to the replaced resource is create-only.
 */
public final class Planner {
    /** Shown for values that only exist once an earlier change has run. */
    public static final String UNKNOWN = "(known after apply)";

    private final TypeRegistry types;
    private final java.util.function.Function<String, String> env;
    private final Map<String, Optional<LiveResource>> crossStack = new java.util.concurrent.ConcurrentHashMap<>();

    public Planner(TypeRegistry types) {
        this(types, System::getenv);
    }

    /** {@code env} resolves {@code ${env.NAME}} in write-only properties, only to compare digests. */
    public Planner(TypeRegistry types, java.util.function.Function<String, String> env) {
        this(types, env, CommandStacks.NONE);
    }

    /**
     * The other stacks of a multi-stack command ({@link StackSet}): {@code ${stack:other/id}}
     * resolves through that stack's own registry (its account and region), and an id that its plan
     * creates or replaces is {@link #UNKNOWN} here.
     *
     * @param registries stack name → the registry of that stack's account and region
     * @param pending    {@code "stack/id"} keys of objects the command's earlier plans create or replace
     */
    public record CommandStacks(Map<String, TypeRegistry> registries, java.util.Set<String> pending) {
        public static final CommandStacks NONE = new CommandStacks(Map.of(), java.util.Set.of());
    }

    private final CommandStacks others;

    public Planner(TypeRegistry types, java.util.function.Function<String, String> env, CommandStacks others) {
        this.types = types;
        this.env = env;
        this.others = others;
    }

    public Plan plan(StackFile stack, TypeContext ctx, boolean destroy) {
        // a destroy declares nothing: what only a declaration finds (TypeContext.declared) is left alone
        LiveState live = LiveState.read(types, destroy ? ctx : DeclaredContext.of(ctx, stack), scope(types, stack, ctx, destroy));
        return plan(stack, live, destroy);
    }

    /**
     * The types a run reads: those the file declares (always read in full, so a plan never
     * creates what exists) plus those the provider finds the stack owning; for a destroy, every
     * type the stack may own ({@link TypeRegistry#scope}).
     */
    public static java.util.Set<String> scope(TypeRegistry types, StackFile stack, TypeContext ctx, boolean destroy) {
        java.util.Set<String> declared = new java.util.TreeSet<>();
        for (ResourceBlock b : stack.resources().values()) declared.add(b.type());
        java.util.Set<String> scope = new java.util.TreeSet<>(types.scope(ctx, declared, destroy));
        scope.addAll(declared);
        return scope;
    }

    public Plan plan(StackFile stack, LiveState live, boolean destroy) {
        Map<String, ResourceBlock> blocks = destroy ? Map.of() : stack.resources();
        Map<String, Change> changes = new LinkedHashMap<>();

        // Desired side, in dependency order so cascades and attribute references see their targets first.
        List<ResourceView> desiredViews = new ArrayList<>();
        blocks.values().forEach(b -> desiredViews.add(new ResourceView(b.id(), b.type(), b.properties())));
        StackView desiredView = References.view(desiredViews);
        DependencyGraph<String> g = new DependencyGraph<>();
        for (ResourceView r : desiredViews) {
            g.add(r.id());
            for (String d : References.dependencies(r, desiredView, types)) g.edge(d, r.id());
        }
        Map<String, List<String>> ignore = new HashMap<>();
        for (String path : stack.driftIgnore()) {
            int dot = path.indexOf('.');
            ignore.computeIfAbsent(path.substring(0, dot), k -> new ArrayList<>()).add(path.substring(dot + 1));
        }

        // A crash in the middle of a type change leaves the old and the new object under one id:
        // the one whose type matches the file is the resource, the other goes.
        Map<String, LiveResource> lives = new LinkedHashMap<>(live.byId());
        List<LiveResource> duplicates = new ArrayList<>(live.duplicates());
        for (ResourceBlock b : blocks.values()) {
            LiveResource l = lives.get(b.id());
            if (l == null || l.type().equals(b.type())) continue;
            duplicates.stream().filter(d -> d.id().equals(b.id()) && d.type().equals(b.type())).findFirst().ifPresent(match -> {
                duplicates.remove(match);
                duplicates.add(l);
                lives.put(b.id(), match);
            });
        }
        choosePrimaries(lives, duplicates);
        Map<String, LiveResource> doomed = new LinkedHashMap<>();
        for (LiveResource d : duplicates) doomed.put(d.awsId(), d);

        for (String id : g.topologicalOrder()) {
            ResourceBlock b = blocks.get(id);
            ResourceType type = types.find(b.type()).orElseThrow(() -> new PlanException(id + ": unknown type " + b.type()));
            ObjectNode desired = desired(stack, b, type, live, lives, changes, false);
            ObjectNode comparable = desired(stack, b, type, live, lives, changes, true);
            LiveResource l = lives.get(id);
            if (l != null && !l.type().equals(b.type())) {
                changes.put(id + "#old", new Change(id, l.type(), Action.DELETE, List.of("type changed from " + l.type() + " to " + b.type()), List.of(), null, l));
                l = null;
            }
            if (l == null) {
                changes.put(id, new Change(id, b.type(), Action.CREATE, List.of(), createDiffs(type, desired), desired, null));
                continue;
            }
            ObjectNode liveProps = Normalizer.normalize(type, live.logical(l));
            List<PropertyDiff> diffs = new ArrayList<>(Differ.diff(type, comparable, liveProps, ignore.getOrDefault(id, List.of())));
            secretsDiff(stack, id, type, desired, l).ifPresent(diffs::add);
            List<String> reasons = new ArrayList<>();
            boolean replace = false;
            for (PropertyDiff d : diffs) {
                if (d.forcesReplace() && !reasons.contains(d.topLevel() + " is create-only")) {
                    reasons.add(d.topLevel() + " is create-only");
                    replace = true;
                }
            }
            // It lives in (or points at) a duplicate that goes: it must move to the resource that stays.
            for (Map.Entry<String, String> m : mentions(l.properties(), doomed.keySet()).entrySet()) {
                Property p = type.schema().property(m.getKey());
                reasons.add(m.getKey() + " uses " + m.getValue() + ", a duplicate of " + doomed.get(m.getValue()).id() + " that is deleted");
                if (p != null && p.createOnly()) {
                    replace = true;
                } else if (diffs.stream().noneMatch(d -> d.topLevel().equals(m.getKey()))) {
                    diffs.add(new PropertyDiff(m.getKey(), l.properties().get(m.getKey()), desired.get(m.getKey()), false, p != null && p.writeOnly(), false));
                }
            }
            Action a = replace ? Action.REPLACE : diffs.isEmpty() ? Action.NOOP : Action.UPDATE;
            changes.put(id, new Change(id, b.type(), a, reasons, diffs, desired, l));
        }
        cascade(changes);

        for (LiveResource l : lives.values()) {
            if (!blocks.containsKey(l.id())) {
                changes.put(l.id(), new Change(l.id(), l.type(), Action.DELETE, List.of(destroy ? "destroy" : "no longer in the stack file"), List.of(), null, l));
            }
        }
        for (LiveResource d : duplicates) {
            LiveResource primary = lives.get(d.id());
            changes.put(d.id() + "#" + d.awsId(), new Change(d.id(), d.type(), Action.DELETE,
                    List.of("duplicate of " + (primary == null ? "another object" : primary.awsId()) + " (same netstack:id)"), List.of(), null, d));
        }
        List<Change> ordered = ExecutionOrder.order(new ArrayList<>(changes.values()), live, types);
        // Bound to the stack and region: an empty live state would otherwise fingerprint alike for every stack.
        String fingerprint = Json.sha256("netstack-live/" + stack.name() + "\0" + stack.region() + "\0" + live.fingerprint());
        return new Plan(stack.name(), stack.region(), stack.digest(), fingerprint, destroy, ordered, lives, stack.source().origins());
    }

    /**
     * Which of several live objects with one logical id is the resource, and which are duplicates
     * to delete. Duplicates come from a create whose response was lost and that was then repeated
     * (by the SDK's retry of a call without ClientToken, or by a run racing a killed one): the run
     * went on with the object it heard of, so that is the one the stack's other objects use (a
     * subnet's VPC, a route's NAT gateway). Keep the object most used by the other resources;
     * {@link LiveState}'s order (by AWS id, which says nothing about age: EC2 ids are random) only
     * breaks ties. Repeated until stable, counting only uses by resources that stay.
     */
    static void choosePrimaries(Map<String, LiveResource> lives, List<LiveResource> duplicates) {
        if (duplicates.isEmpty()) return;
        for (int pass = 0; pass < 5; pass++) {
            Map<String, Integer> uses = new java.util.HashMap<>();
            for (LiveResource r : lives.values()) countIds(r.properties(), r.awsId(), uses);
            boolean changed = false;
            for (LiveResource d : new ArrayList<>(duplicates)) {
                LiveResource primary = lives.get(d.id());
                if (primary == null || !primary.type().equals(d.type())) continue;
                if (uses.getOrDefault(d.awsId(), 0) > uses.getOrDefault(primary.awsId(), 0)) {
                    duplicates.remove(d);
                    duplicates.add(primary);
                    lives.put(d.id(), d);
                    changed = true;
                }
            }
            if (!changed) return;
        }
    }

    private static void countIds(JsonNode n, String self, Map<String, Integer> uses) {
        if (n.isTextual()) {
            if (!n.asText().equals(self)) uses.merge(n.asText(), 1, Integer::sum);
        } else {
            for (JsonNode c : n) countIds(c, self, uses);
        }
    }

    /** Top-level property → the first of {@code awsIds} found anywhere in its value. */
    private static Map<String, String> mentions(ObjectNode props, java.util.Set<String> awsIds) {
        Map<String, String> out = new java.util.TreeMap<>();
        if (awsIds.isEmpty()) return out;
        props.fields().forEachRemaining(e -> {
            String hit = firstMention(e.getValue(), awsIds);
            if (hit != null) out.put(e.getKey(), hit);
        });
        return out;
    }

    private static String firstMention(JsonNode n, java.util.Set<String> awsIds) {
        if (n.isTextual()) return awsIds.contains(n.asText()) ? n.asText() : null;
        for (JsonNode c : n) {
            String hit = firstMention(c, awsIds);
            if (hit != null) return hit;
        }
        return null;
    }

    /**
     * A reference to a resource that is replaced (or deleted and recreated under another type)
     * changes value though its text does not: create-only references replace the referrer,
     * others update it. Repeated until nothing changes, so chains and late-bound references
     * (which do not order the walk above) cascade whatever the order of ids.
     */
    private void cascade(Map<String, Change> changes) {
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Map.Entry<String, Change> e : changes.entrySet()) {
                Change c = e.getValue();
                if (c.desired() == null || c.live() == null || c.action() == Action.DELETE) continue;
                ResourceType type = types.find(c.type()).orElseThrow();
                // ${x.attr} of a renewed x: the attribute's value is only known after apply
                for (Map.Entry<String, String> ref : attributeRefsByProperty(c.desired())) {
                    Change target = changes.get(ref.getValue());
                    boolean renewed = target != null && target.action() == Action.REPLACE || changes.containsKey(ref.getValue() + "#old");
                    String path = ref.getKey();
                    if (!renewed || c.diffs().stream().anyMatch(d -> d.path().equals(path))) continue;
                    Property p = type.schema().property(path);
                    List<PropertyDiff> diffs = new ArrayList<>(c.diffs());
                    List<String> reasons = new ArrayList<>(c.reasons());
                    reasons.add(path + " uses an attribute of " + ref.getValue() + ", which is replaced");
                    JsonNode before = c.live().properties().get(path);
                    diffs.add(new PropertyDiff(path, before, TextNode.valueOf(UNKNOWN), p != null && p.createOnly(), false, false));
                    Action a = p != null && p.createOnly() ? Action.REPLACE : c.action() == Action.NOOP ? Action.UPDATE : c.action();
                    c = new Change(c.id(), c.type(), a, reasons, diffs, c.desired(), c.live());
                    e.setValue(c);
                    changed = true;
                }
                for (Map.Entry<String, String> ref : refsByProperty(c.desired())) {
                    Change target = changes.get(ref.getValue());
                    boolean renewed = target != null && target.action() == Action.REPLACE || changes.containsKey(ref.getValue() + "#old");
                    if (!renewed) continue;
                    String reason = ref.getKey() + " references " + ref.getValue() + ", which is replaced";
                    if (c.reasons().contains(reason)) continue;
                    List<String> reasons = new ArrayList<>(c.reasons());
                    reasons.add(reason);
                    List<PropertyDiff> diffs = new ArrayList<>(c.diffs());
                    Property p = type.schema().property(ref.getKey());
                    Action a = c.action();
                    if (p != null && p.createOnly()) {
                        a = Action.REPLACE;
                    } else {
                        diffs.add(new PropertyDiff(ref.getKey(), TextNode.valueOf(Reference.of(ref.getValue())),
                                TextNode.valueOf(Reference.of(ref.getValue()) + " " + UNKNOWN), false, false, false));
                        if (a == Action.NOOP) a = Action.UPDATE;
                    }
                    c = new Change(c.id(), c.type(), a, reasons, diffs, c.desired(), c.live());
                    e.setValue(c);
                    changed = true;
                }
            }
        }
    }

    private static List<PropertyDiff> createDiffs(ResourceType type, ObjectNode desired) {
        List<PropertyDiff> out = new ArrayList<>();
        for (Property p : type.schema().properties().values()) {
            JsonNode v = desired.get(p.name());
            if (v == null || v.isNull()) continue;
            if (v.isArray() && v.isEmpty() || v.isObject() && v.isEmpty() && p.kind() == Property.Kind.MAP) continue;
            out.add(new PropertyDiff(p.name(), null, v, false, p.writeOnly(), false));
        }
        return out;
    }

    /** Canonical desired properties: stack tags merged, cross-stack and attribute references resolved. */
    private ObjectNode desired(StackFile stack, ResourceBlock b, ResourceType type, LiveState live, Map<String, LiveResource> lives, Map<String, Change> changes, boolean attributes) {
        ObjectNode props = b.properties().deepCopy();
        if (type.schema().taggable()) {
            ObjectNode tags = Json.object();
            stack.tags().forEach(tags::put);
            JsonNode own = props.get("tags");
            if (own != null && own.isObject()) own.fields().forEachRemaining(e -> tags.set(e.getKey(), e.getValue()));
            // Name is the user's to set (consoles, runbooks and cost reports key on it); ownership
            // lives in the netstack:* tags. Unset, it is <stack>/<id>, so a Name changed by hand is drift.
            if (!tags.has(Ownership.NAME_TAG)) tags.put(Ownership.NAME_TAG, Ownership.defaultName(stack.name(), b.id()));
            props.set("tags", tags);
        }
        resolveValues(props, stack, live, lives, changes, attributes);
        return Normalizer.normalize(type, props);
    }

    private void resolveValues(JsonNode node, StackFile stack, LiveState live, Map<String, LiveResource> lives, Map<String, Change> changes, boolean attributes) {
        if (node.isObject()) {
            ObjectNode o = (ObjectNode) node;
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            for (String k : names) {
                JsonNode r = resolveValue(o.get(k), stack, live, lives, changes, attributes);
                if (r != null) o.set(k, r);
                else resolveValues(o.get(k), stack, live, lives, changes, attributes);
            }
        } else if (node.isArray()) {
            ArrayNode a = (ArrayNode) node;
            for (int i = 0; i < a.size(); i++) {
                JsonNode r = resolveValue(a.get(i), stack, live, lives, changes, attributes);
                if (r != null) a.set(i, r);
                else resolveValues(a.get(i), stack, live, lives, changes, attributes);
            }
        }
    }

    private JsonNode resolveValue(JsonNode v, StackFile stack, LiveState live, Map<String, LiveResource> lives, Map<String, Change> changes, boolean attributes) {
        if (!v.isTextual()) return null;
        String owned = live.idOf(v.asText());
        if (owned != null) return TextNode.valueOf(Reference.of(owned)); // a literal id of our own object is that reference
        Optional<Reference> ref;
        try {
            ref = Reference.whole(v.asText());
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (ref.isEmpty()) return null;
        Reference r = ref.get();
        if (r.kind() == Reference.Kind.STACK) {
            if (others.pending().contains(r.stack() + "/" + r.target())) return TextNode.valueOf(UNKNOWN);
            TypeRegistry where = others.registries().getOrDefault(r.stack(), types);
            LiveResource other = crossStack.computeIfAbsent(r.stack() + "/" + r.target(), k -> where.findInStack(r.stack(), r.target())).orElseThrow(() -> new PlanException(
                    r + ": stack \"" + r.stack() + "\" has no resource \"" + r.target() + "\" in "
                            + (where == types ? stack.region() : "its account and region")
                            + " (no object tagged netstack:stack=" + r.stack() + ", netstack:id=" + r.target() + "); apply stack " + r.stack() + " first"));
            if (r.attribute() == null) {
                // The same AWS object may be another stack's and, seen from this account, this
                // stack's too (an accepter's view of a peering the requester stack made): then it
                // reads as this stack's own reference, as a literal id of an owned object does.
                String mine = live.idOf(other.awsId());
                return TextNode.valueOf(mine != null ? Reference.of(mine) : other.awsId());
            }
            String a = other.attributes().get(r.attribute());
            if (a == null) throw new PlanException(r + ": " + r.stack() + "/" + r.target() + " has no attribute " + r.attribute());
            return TextNode.valueOf(a);
        }
        if (attributes && r.kind() == Reference.Kind.RESOURCE && r.attribute() != null) {
            Change c = changes.get(r.target());
            LiveResource l = lives.get(r.target());
            if (l == null || c == null || c.action() == Action.CREATE || c.action() == Action.REPLACE) return TextNode.valueOf(UNKNOWN);
            String a = r.attribute().equals("id") ? l.awsId() : l.attributes().get(r.attribute());
            return a == null ? TextNode.valueOf(UNKNOWN) : TextNode.valueOf(a);
        }
        return null;
    }

    /**
     * A changed write-only value: compared with the value AWS returns where it returns one
     * ({@link ObservedSecrets}), else with the slow salted digest stored at creation ({@link
     * Secrets}). Only values the file sets are compared (a key left to AWS is not a change). The
     * diff names the property and never shows a value.
     */
    private Optional<PropertyDiff> secretsDiff(StackFile stack, String id, ResourceType type, ObjectNode desired, LiveResource live) {
        List<Property> holders = Secrets.holders(type);
        String observed = live.attributes().get(ObservedSecrets.ATTRIBUTE);
        String tag = live.attributes().get(io.netstack.spi.ResourceSpec.SECRETS_TAG);
        if (holders.isEmpty() || observed == null && tag == null) return Optional.empty(); // nothing recorded to compare with
        ObjectNode resolved = desired.deepCopy();
        resolveEnv(id, resolved);
        Map<String, String> want = Secrets.values(type, resolved);
        if (want.isEmpty()) return Optional.empty();
        boolean changed;
        if (observed != null && want.keySet().stream().allMatch(k -> ObservedSecrets.has(observed, k))) {
            changed = want.entrySet().stream().anyMatch(e -> !ObservedSecrets.matches(observed, e.getKey(), e.getValue()));
        } else {
            if (tag == null) return Optional.empty();
            changed = !Secrets.matches(tag, stack.name(), id, type, resolved);
        }
        if (!changed) return Optional.empty();
        Property p = holders.get(0);
        TextNode masked = TextNode.valueOf(PlanJson.SENSITIVE);
        return Optional.of(new PropertyDiff(p.name(), masked, masked, p.createOnly(), true, false));
    }

    /** Every whole {@code ${env.NAME}} under {@code node} becomes the variable's value, in place. */
    private void resolveEnv(String id, JsonNode node) {
        JsonTexts.replace(node, "", (ptr, text) -> {
            Optional<Reference> r = Reference.whole(text);
            if (r.isEmpty() || r.get().kind() != Reference.Kind.ENV) return null;
            String val = env.apply(r.get().target());
            if (val == null) throw new PlanException(id + "." + ptr.substring(1).replace('/', '.') + ": environment variable " + r.get().target() + " is not set");
            return val;
        });
    }

    /** (top-level property, referenced logical id) for every {@code ${id.attr}} in the desired properties. */
    private static List<Map.Entry<String, String>> attributeRefsByProperty(ObjectNode desired) {
        java.util.LinkedHashSet<Map.Entry<String, String>> out = new java.util.LinkedHashSet<>();
        References.forEach(desired, "", (ptr, ref) -> {
            if (ref.kind() == Reference.Kind.RESOURCE && ref.attribute() != null) out.add(Map.entry(ptr.substring(1).split("/")[0], ref.target()));
        });
        return new ArrayList<>(out);
    }

    /** (top-level property, referenced logical id) for every {@code ${id}} in the desired properties. */
    private static List<Map.Entry<String, String>> refsByProperty(ObjectNode desired) {
        java.util.LinkedHashSet<Map.Entry<String, String>> out = new java.util.LinkedHashSet<>();
        References.forEach(desired, "", (ptr, ref) -> {
            if (ref.kind() == Reference.Kind.RESOURCE && ref.attribute() == null) {
                out.add(Map.entry(ptr.substring(1).split("/")[0], ref.target()));
            }
        });
        return new ArrayList<>(out);
    }
}
