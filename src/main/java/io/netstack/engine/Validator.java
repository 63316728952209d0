package io.netstack.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.spi.Property;
import io.netstack.spi.ResourceType;
import io.netstack.spi.ResourceView;
import io.netstack.spi.Schema;
import io.netstack.spi.StackView;
import io.netstack.spi.TypeRegistry;
import io.netstack.spi.Validation;
import io.netstack.stack.Cidr;
import io.netstack.stack.Location;
import io.netstack.stack.Reference;
import io.netstack.stack.ResourceBlock;
import io.netstack.stack.StackError;
import io.netstack.stack.StackException;
import io.netstack.stack.StackFile;
import io.netstack.stack.StackLoader;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything that can be known wrong before any AWS call (docs/DESIGN.md principle 6): each block
 * against its type's schema, references (existence, target type, attributes, where env refs may
 * go), the type's own checks (CIDR containment, overlaps, route targets), and cycles.
 * All errors are collected and thrown at once as a {@link StackException}.
 */
public final class Validator {
    private final TypeRegistry types;

    public Validator(TypeRegistry types) {
        this.types = types;
    }

    public record Result(List<StackError> warnings) {}

    public Result validate(StackFile stack) {
        List<StackError> errors = new ArrayList<>();
        List<StackError> warnings = new ArrayList<>();
        Validation v = new Validation() {
            @Override public StackFile stack() { return stack; }

            @Override
            public void error(ResourceBlock block, String rel, String message) {
                if (stack.unknown(block.properties().at(rel))) return; // checked at plan time, with the value
                errors.add(new StackError(stack.locate(block.pointer() + rel), block.id() + ": " + message));
            }

            @Override
            public void warning(ResourceBlock block, String rel, String message) {
                if (stack.unknown(block.properties().at(rel))) return;
                warnings.add(new StackError(stack.locate(block.pointer() + rel), block.id() + ": " + message));
            }

            @Override
            public Optional<ResourceBlock> target(JsonNode value) {
                return ResourceView.refOf(value).map(id -> stack.resources().get(id));
            }

            private final Map<Class<?>, Object> shared = new HashMap<>();

            @Override
            public <T> T shared(Class<T> key, java.util.function.Supplier<T> compute) {
                return key.cast(shared.computeIfAbsent(key, k -> compute.get()));
            }

            /** Grouped once per validation, not once per block. */
            private Map<String, List<ResourceBlock>> byType;

            @Override
            public List<ResourceBlock> blocksOfType(String type) {
                if (byType == null) {
                    byType = new HashMap<>();
                    for (ResourceBlock r : stack.resources().values()) {
                        // a block with values known only at plan time takes no part in checks across blocks
                        if (!stack.unknown(r.properties())) byType.computeIfAbsent(r.type(), t -> new ArrayList<>()).add(r);
                    }
                }
                return byType.getOrDefault(type, List.of());
            }
        };

        types.knownRegions().filter(known -> !known.contains(stack.region())).ifPresent(known -> errors.add(new StackError(stack.locate("/region"),
                "unknown AWS region \"" + stack.region() + "\"" + suggestion(stack.region(), known)
                        + " (netstack knows the regions of its AWS SDK; a region newer than it needs a newer netstack)")));
        for (ResourceBlock block : stack.resources().values()) {
            Optional<ResourceType> type = types.find(block.type());
            if (type.isEmpty()) {
                errors.add(new StackError(stack.locate(block.pointer() + "/type"), block.id() + ": unknown resource type \"" + block.type() + "\" (known: " + String.join(", ", new TreeSet<>(types.all().stream().map(ResourceType::name).toList())) + ")"));
                continue;
            }
            int before = errors.size();
            checkObject(stack, block, type.get().schema().properties(), block.properties(), "", errors, true);
            if (errors.size() == before) {
                try {
                    type.get().validate(block, v);
                } catch (IllegalArgumentException e) {
                    // Only a value known at plan time (an unset variable) gets here unparsed: every
                    // known value passed its schema check. The block's checks after it are skipped.
                    if (stack.unsetVariables().isEmpty()) throw e;
                }
            }
        }
        for (Map.Entry<String, String> out : stack.outputs().entrySet()) {
            String ptr = "/outputs/" + out.getKey();
            try {
                Optional<Reference> r = Reference.whole(out.getValue());
                if (r.isEmpty()) {
                    errors.add(new StackError(stack.locate(ptr), "output \"" + out.getKey() + "\" must be a reference like ${id} or ${id.attribute}"));
                } else if (r.get().kind() == Reference.Kind.RESOURCE) {
                    checkResourceRef(stack, r.get(), null, stack.locate(ptr), "output " + out.getKey(), errors);
                }
            } catch (IllegalArgumentException e) {
                errors.add(new StackError(stack.locate(ptr), e.getMessage()));
            }
        }
        if (errors.isEmpty()) findCycle(stack, errors);
        if (!errors.isEmpty()) throw new StackException(errors);
        return new Result(warnings);
    }

    /**
     * Checks the values of {@code ${env.NAME}} secrets against their property's rules, by running
     * each type's own validation on the block with the values put in, and keeping what it says
     * about those properties (types name the rule, never the value). With {@code requireSet}, an
     * unset variable is an error too: {@code plan} and {@code apply} call this before reading AWS,
     * so a bad secret stops the run before anything is created; {@code validate} checks only the
     * values that are given (CI validates without secrets).
     */
    public void checkSecrets(StackFile stack, java.util.function.Function<String, String> env, boolean requireSet) {
        List<StackError> errors = new ArrayList<>();
        for (ResourceBlock block : stack.resources().values()) {
            Optional<ResourceType> type = types.find(block.type());
            if (type.isEmpty()) continue;
            com.fasterxml.jackson.databind.node.ObjectNode withValues = block.properties().deepCopy();
            Map<String, String> substituted = new LinkedHashMap<>(); // pointer → variable name
            putEnv(stack, block, withValues, "", env, requireSet, substituted, errors);
            if (substituted.isEmpty()) continue;
            ResourceBlock b = new ResourceBlock(block.id(), block.type(), withValues, block.pointer());
            type.get().validate(b, new Validation() {
                @Override public StackFile stack() { return stack; }

                @Override
                public void error(ResourceBlock rb, String rel, String message) {
                    for (Map.Entry<String, String> e : substituted.entrySet()) {
                        if (rel.equals(e.getKey()) || rel.startsWith(e.getKey() + "/")) {
                            errors.add(new StackError(stack.locate(block.pointer() + rel), block.id() + ": " + message + " (the value of ${env." + e.getValue() + "})"));
                            return;
                        }
                    }
                }

                @Override public void warning(ResourceBlock rb, String rel, String message) {}

                @Override
                public Optional<ResourceBlock> target(JsonNode value) {
                    return ResourceView.refOf(value).map(id -> stack.resources().get(id));
                }
            });
        }
        if (!errors.isEmpty()) throw new StackException(errors);
    }

    private static void putEnv(StackFile stack, ResourceBlock block, JsonNode node, String rel, java.util.function.Function<String, String> env,
                               boolean requireSet, Map<String, String> substituted, List<StackError> errors) {
        List<String> keys = new ArrayList<>();
        if (node.isObject()) node.fieldNames().forEachRemaining(keys::add);
        else if (node.isArray()) for (int i = 0; i < node.size(); i++) keys.add(String.valueOf(i));
        for (String k : keys) {
            JsonNode v = node.isObject() ? node.get(k) : node.get(Integer.parseInt(k));
            String here = rel + "/" + k;
            Optional<Reference> r = Optional.empty();
            if (v.isTextual()) {
                try {
                    r = Reference.whole(v.asText());
                } catch (IllegalArgumentException e) {
                    continue; // reported by validate
                }
            }
            if (r.isPresent() && r.get().kind() == Reference.Kind.ENV) {
                String name = r.get().target(), value = env.apply(name);
                if (value == null || value.isEmpty()) {
                    if (requireSet) errors.add(new StackError(stack.locate(block.pointer() + here),
                            block.id() + ": environment variable " + name + " is not set (it gives " + here.substring(1).replace('/', '.') + ", a secret)"));
                    continue;
                }
                com.fasterxml.jackson.databind.node.TextNode t = com.fasterxml.jackson.databind.node.TextNode.valueOf(value);
                if (node.isObject()) ((com.fasterxml.jackson.databind.node.ObjectNode) node).set(k, t);
                else ((com.fasterxml.jackson.databind.node.ArrayNode) node).set(Integer.parseInt(k), t);
                substituted.put(here, name);
            } else if (v.isContainerNode()) {
                putEnv(stack, block, v, here, env, requireSet, substituted, errors);
            }
        }
    }

    private void checkObject(StackFile stack, ResourceBlock block, Map<String, Property> props, JsonNode obj, String rel, List<StackError> errors, boolean top) {
        for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!props.containsKey(k)) {
                String where = top ? "type \"" + block.type() + "\"" : "\"" + rel.substring(rel.lastIndexOf('/') + 1) + "\"";
                errors.add(new StackError(stack.locateKey(block.pointer() + rel + "/" + k),
                        block.id() + ": unknown property \"" + k + "\" for " + where + suggestion(k, props.keySet())));
            }
        }
        for (Property p : props.values()) {
            JsonNode val = obj.get(p.name());
            String pr = rel + "/" + p.name();
            if (val == null || val.isNull()) {
                if (p.required()) errors.add(new StackError(stack.locate(block.pointer() + rel), block.id() + ": missing required property \"" + (rel.isEmpty() ? "" : rel.substring(1).replace('/', '.') + ".") + p.name() + "\""));
                continue;
            }
            checkValue(stack, block, p, val, pr, errors);
        }
    }

    /** {@code text} as a whole-value reference (empty: not one); null once a malformed reference's error is added. */
    private static Optional<Reference> whole(String text, Location loc, String what, List<StackError> errors) {
        try {
            return Reference.whole(text);
        } catch (IllegalArgumentException e) {
            errors.add(new StackError(loc, what + ": " + e.getMessage()));
            return null;
        }
    }

    private void checkValue(StackFile stack, ResourceBlock block, Property p, JsonNode val, String rel, List<StackError> errors) {
        // `validate` without --var values: a value known only at plan time is checked then
        if (val.isTextual() && stack.unknown(val)) return;
        Location loc = stack.locate(block.pointer() + rel);
        String what = block.id() + ": " + rel.substring(1).replace('/', '.');
        boolean textual = p.kind() == Property.Kind.STRING || p.kind() == Property.Kind.CIDR || p.kind() == Property.Kind.JSON;
        if (val.isTextual() && Reference.containsReference(val.asText()) && textual) {
            Optional<Reference> r = whole(val.asText(), loc, what, errors);
            if (r == null) return;
            if (r.isEmpty()) {
                errors.add(new StackError(loc, what + ": a reference must be the whole value, like \"${id}\" (only ${var.…} can be embedded in text)"));
                return;
            }
            checkReference(stack, block, p, r.get(), rel, loc, what, errors);
            return;
        }
        switch (p.kind()) {
            case STRING -> {
                if (!val.isTextual()) errors.add(new StackError(loc, what + ": must be a string, got " + kindOf(val)));
                else if (!p.enumValues().isEmpty() && !p.enumValues().contains(val.asText()))
                    errors.add(new StackError(loc, what + ": \"" + val.asText() + "\" is not one of " + String.join(", ", p.enumValues())));
            }
            case BOOLEAN -> {
                if (!val.isBoolean()) errors.add(new StackError(loc, what + ": must be true or false, got " + kindOf(val)));
            }
            case INTEGER -> {
                if (!val.isIntegralNumber()) errors.add(new StackError(loc, what + ": must be a whole number, got " + kindOf(val)));
                else if (val.asLong() < p.min() || val.asLong() > p.max())
                    errors.add(new StackError(loc, what + ": " + val.asLong() + " is outside " + p.min() + ".." + p.max()));
            }
            case CIDR -> {
                if (!val.isTextual()) errors.add(new StackError(loc, what + ": must be a CIDR string, got " + kindOf(val)));
                else try {
                    Cidr.parse(val.asText());
                } catch (IllegalArgumentException e) {
                    errors.add(new StackError(loc, what + ": " + e.getMessage()));
                }
            }
            case REF -> {
                if (!val.isTextual()) {
                    errors.add(new StackError(loc, what + ": must be a reference \"${id}\" or an AWS id, got " + kindOf(val)));
                    return;
                }
                Optional<Reference> r = whole(val.asText(), loc, what, errors);
                if (r == null) return;
                if (r.isPresent()) {
                    checkReference(stack, block, p, r.get(), rel, loc, what, errors);
                } else if (!p.idPrefixes().isEmpty() && p.idPrefixes().stream().noneMatch(val.asText()::startsWith)) {
                    errors.add(new StackError(loc, what + ": \"" + val.asText() + "\" is neither a reference ${id} nor an AWS id starting with " + String.join(" or ", p.idPrefixes())));
                }
            }
            case LIST -> {
                if (!val.isArray()) {
                    errors.add(new StackError(loc, what + ": must be a list, got " + kindOf(val)));
                    return;
                }
                for (int i = 0; i < val.size(); i++) checkValue(stack, block, p.item(), val.get(i), rel + "/" + i, errors);
            }
            case OBJECT -> {
                if (!val.isObject()) {
                    errors.add(new StackError(loc, what + ": must be an object, got " + kindOf(val)));
                    return;
                }
                Map<String, Property> fields = new LinkedHashMap<>();
                p.fields().forEach(f -> fields.put(f.name(), f));
                checkObject(stack, block, fields, val, rel, errors, false);
            }
            case MAP -> {
                if (!val.isObject()) {
                    errors.add(new StackError(loc, what + ": must be an object of key → string, got " + kindOf(val)));
                    return;
                }
                if (p.name().equals("tags")) {
                    val.fields().forEachRemaining(e -> {
                        String k = e.getKey();
                        Location kl = stack.locateKey(block.pointer() + rel + "/" + k);
                        if (k.startsWith("netstack:") || k.toLowerCase().startsWith("aws:"))
                            errors.add(new StackError(kl, what + ": tag key \"" + k + "\" is reserved (netstack:* and aws:* are set by netstack and AWS)"));
                        else if (k.length() > StackLoader.MAX_TAG_KEY)
                            errors.add(new StackError(kl, what + ": tag keys are at most " + StackLoader.MAX_TAG_KEY + " characters"));
                    });
                }
                val.fields().forEachRemaining(e -> {
                    if (!e.getValue().isTextual()) errors.add(new StackError(stack.locate(block.pointer() + rel + "/" + e.getKey()), what + "." + e.getKey() + ": must be a string"));
                    else if (p.name().equals("tags") && e.getValue().asText().length() > StackLoader.MAX_TAG_VALUE)
                        errors.add(new StackError(stack.locate(block.pointer() + rel + "/" + e.getKey()), what + "." + e.getKey() + ": tag values are at most " + StackLoader.MAX_TAG_VALUE + " characters"));
                });
            }
            case JSON -> { }
        }
    }

    private void checkReference(StackFile stack, ResourceBlock block, Property p, Reference r, String rel, Location loc, String what, List<StackError> errors) {
        switch (r.kind()) {
            case ENV -> {
                if (!p.writeOnly()) errors.add(new StackError(loc, what + ": ${env." + r.target() + "} is only allowed in write-only properties (secrets), so values stay out of plans"));
            }
            case VARIABLE -> errors.add(new StackError(loc, what + ": unresolved variable " + r));
            case STACK -> {
                if (p.kind() == Property.Kind.REF && r.attribute() != null)
                    errors.add(new StackError(loc, what + ": expects the resource's id, not an attribute: use ${stack:" + r.stack() + "/" + r.target() + "}"));
            }
            case RESOURCE -> {
                // a late-bound property may name its own resource (a group's rule for its members)
                String top = rel.substring(1).split("/")[0];
                boolean selfAllowed = types.find(block.type()).map(t -> t.schema().property(top)).map(Property::lateBound).orElse(false);
                if (!checkResourceRef(stack, r, selfAllowed ? null : block.id(), loc, what, errors)) return;
                ResourceBlock target = stack.resources().get(r.target());
                if (p.kind() == Property.Kind.REF) {
                    if (r.attribute() != null) {
                        errors.add(new StackError(loc, what + ": expects the resource's id, not an attribute: use ${" + r.target() + "}"));
                    } else if (!p.refTypes().isEmpty() && !p.refTypes().contains(target.type())) {
                        errors.add(new StackError(loc, what + ": ${" + r.target() + "} is a " + target.type() + ", expected " + String.join(" or ", p.refTypes())));
                    }
                }
            }
        }
    }

    private boolean checkResourceRef(StackFile stack, Reference r, String self, Location loc, String what, List<StackError> errors) {
        ResourceBlock target = stack.resources().get(r.target());
        if (target == null) {
            errors.add(new StackError(loc, what + ": unknown reference ${" + r.target() + "}: no resource \"" + r.target() + "\" in this stack" + suggestion(r.target(), stack.resources().keySet())));
            return false;
        }
        if (r.target().equals(self)) {
            errors.add(new StackError(loc, what + ": a resource cannot reference itself"));
            return false;
        }
        if (r.attribute() != null) {
            Optional<ResourceType> tt = types.find(target.type());
            if (tt.isPresent()) {
                Schema s = tt.get().schema();
                if (!r.attribute().equals("id") && !s.attributes().contains(r.attribute())) {
                    errors.add(new StackError(loc, what + ": " + target.type() + " has no attribute \"" + r.attribute() + "\"" + (s.attributes().isEmpty() ? "" : " (it has " + String.join(", ", s.attributes()) + ")")));
                    return false;
                }
            }
        }
        return true;
    }

    private void findCycle(StackFile stack, List<StackError> errors) {
        List<ResourceView> views = new ArrayList<>();
        stack.resources().values().forEach(b -> views.add(new ResourceView(b.id(), b.type(), b.properties())));
        StackView view = References.view(views);
        Map<String, Set<String>> deps = new HashMap<>();
        for (ResourceView r : views) deps.put(r.id(), References.dependencies(r, view, types));
        Set<String> done = new HashSet<>();
        for (ResourceView start : views) {
            Deque<String> path = new ArrayDeque<>();
            List<String> cycle = dfs(start.id(), deps, done, new HashSet<>(), path);
            if (cycle != null) {
                ResourceBlock b = stack.resources().get(cycle.get(0));
                errors.add(new StackError(stack.locate(b.pointer()), "reference cycle: " + String.join(" → ", cycle)));
                return;
            }
        }
    }

    private List<String> dfs(String id, Map<String, Set<String>> deps, Set<String> done, Set<String> onPath, Deque<String> path) {
        if (done.contains(id)) return null;
        if (onPath.contains(id)) {
            List<String> cycle = new ArrayList<>();
            boolean in = false;
            for (Iterator<String> it = path.descendingIterator(); it.hasNext(); ) {
                String s = it.next();
                if (s.equals(id)) in = true;
                if (in) cycle.add(s);
            }
            cycle.add(id);
            return cycle;
        }
        onPath.add(id);
        path.push(id);
        for (String d : deps.getOrDefault(id, Set.of())) {
            List<String> c = dfs(d, deps, done, onPath, path);
            if (c != null) return c;
        }
        path.pop();
        onPath.remove(id);
        done.add(id);
        return null;
    }

    private static String kindOf(JsonNode v) {
        if (v.isTextual()) return "a string";
        if (v.isNumber()) return "a number";
        if (v.isBoolean()) return "a boolean";
        if (v.isArray()) return "a list";
        if (v.isObject()) return "an object";
        return v.getNodeType().toString().toLowerCase();
    }

    static String suggestion(String word, Set<String> known) {
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(word.toLowerCase(), k.toLowerCase());
            if (d < bestD) {
                bestD = d;
                best = k;
            }
        }
        return best != null && bestD <= Math.max(2, word.length() / 3) ? " (did you mean \"" + best + "\"?)" : "";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev; prev = cur; cur = t;
        }
        return prev[b.length()];
    }
}
