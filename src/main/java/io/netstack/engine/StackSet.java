package io.netstack.engine;

import io.netstack.stack.Reference;
import io.netstack.stack.ResourceBlock;
import io.netstack.stack.StackError;
import io.netstack.stack.StackException;
import io.netstack.stack.StackFile;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The stacks of one {@code plan|apply|destroy|drift A.json B.json …} run, as one graph: stack B
 * comes after stack A when B references {@code ${stack:A/id}}. The graph is at stack level
 * because a stack's plan needs the AWS ids of what it references: B is planned (for real, before
 * its apply) once A has been applied. Checked offline, with {@code file:line:col} errors: two
 * files with one stack name, a reference to an id the other file does not declare, and a cycle
 * between stacks (a handshake in both directions needs a third stack, docs/stack-format.md,
 * "Several stacks in one command").
 */
public final class StackSet {
    private final Map<String, StackFile> stacks = new LinkedHashMap<>();
    private final DependencyGraph<String> graph = new DependencyGraph<>();
    private final List<String> order;

    private StackSet(List<StackFile> files) {
        List<StackError> errors = new ArrayList<>();
        for (StackFile f : files) {
            StackFile first = stacks.putIfAbsent(f.name(), f);
            if (first != null) errors.add(new StackError(f.locate("/stack"), "stack \"" + f.name() + "\" is also the stack of " + first.file() + ": each stack of a command needs its own name"));
            graph.add(f.name());
        }
        // The first reference of each ordered pair, to point at when the pair is part of a cycle.
        Map<String, io.netstack.stack.Location> firstRef = new LinkedHashMap<>();
        for (StackFile f : stacks.values()) {
            for (ResourceBlock b : f.resources().values()) {
                References.forEach(b.properties(), b.pointer(), (ptr, ref) -> {
                    if (ref.kind() != Reference.Kind.STACK || !stacks.containsKey(ref.stack())) return;
                    StackFile other = stacks.get(ref.stack());
                    if (other == f) return; // a stack's own name: the validator's business
                    if (!other.resources().containsKey(ref.target())) {
                        errors.add(new StackError(f.locate(ptr), ref + ": stack " + other.name() + " (" + other.file() + ") declares no resource \"" + ref.target() + "\""));
                        return;
                    }
                    graph.edge(other.name(), f.name());
                    firstRef.putIfAbsent(other.name() + "\0" + f.name(), f.locate(ptr));
                });
            }
        }
        List<String> ordered;
        try {
            ordered = graph.topologicalOrder();
        } catch (IllegalStateException cycle) {
            ordered = List.of();
            for (Map.Entry<String, io.netstack.stack.Location> e : firstRef.entrySet()) {
                String[] pair = e.getKey().split("\0");
                if (graph.hasPath(pair[1], pair[0])) {
                    errors.add(new StackError(e.getValue(), "stacks " + pair[0] + " and " + pair[1] + " reference each other (a cycle between stacks):"
                            + " a stack is planned with the AWS ids of the stacks it references, so one of them must not reference the other;"
                            + " move the resources of the return direction into a third stack"));
                    break;
                }
            }
        }
        if (!errors.isEmpty()) {
            Collections.sort(errors);
            throw new StackException(errors);
        }
        this.order = ordered;
    }

    public static StackSet of(List<StackFile> files) {
        return new StackSet(files);
    }

    /** Stacks in dependency order (referenced stacks first); destroy walks it backwards. */
    public List<String> order() {
        return order;
    }

    public List<String> reverseOrder() {
        List<String> r = new ArrayList<>(order);
        Collections.reverse(r);
        return r;
    }

    public StackFile get(String name) {
        return stacks.get(name);
    }

    public int size() {
        return stacks.size();
    }

    /** The stacks of this set that {@code name} references. */
    public Set<String> prerequisites(String name) {
        return new TreeSet<>(graph.prerequisites(name));
    }

    /** The stacks of this set that reference {@code name}. */
    public Set<String> dependents(String name) {
        return new TreeSet<>(graph.dependents(name));
    }

    /**
     * {@code "stack/id"} of each resource that {@code plan} will create or replace: a stack of this
     * set that references one shows {@code (known after apply)} for it, as for its own resources.
     */
    public static Set<String> pending(Plan plan) {
        Set<String> out = new TreeSet<>();
        for (Change c : plan.changes()) {
            if (c.action() == Action.CREATE || c.action() == Action.REPLACE) out.add(plan.stack() + "/" + c.id());
        }
        return out;
    }
}
