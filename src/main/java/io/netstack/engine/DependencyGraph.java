package io.netstack.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** A directed graph of keys, where an edge a → b means "a must finish before b starts". */
public final class DependencyGraph<K extends Comparable<K>> {
    private final Map<K, Set<K>> after = new LinkedHashMap<>();   // key → keys that must finish first
    private final Map<K, Set<K>> before = new LinkedHashMap<>();  // key → keys waiting on it

    public void add(K k) {
        after.computeIfAbsent(k, x -> new LinkedHashSet<>());
        before.computeIfAbsent(k, x -> new LinkedHashSet<>());
    }

    /** {@code first} must finish before {@code then} starts. */
    public void edge(K first, K then) {
        if (first.equals(then)) return;
        add(first);
        add(then);
        after.get(then).add(first);
        before.get(first).add(then);
    }

    public Set<K> nodes() {
        return after.keySet();
    }

    public Set<K> prerequisites(K k) {
        return after.getOrDefault(k, Set.of());
    }

    public Set<K> dependents(K k) {
        return before.getOrDefault(k, Set.of());
    }

    public boolean hasPath(K from, K to) {
        Deque<K> todo = new ArrayDeque<>(List.of(from));
        Set<K> seen = new java.util.HashSet<>();
        while (!todo.isEmpty()) {
            K k = todo.pop();
            if (k.equals(to)) return true;
            if (seen.add(k)) todo.addAll(dependents(k));
        }
        return false;
    }

    /**
     * For each node, the number of nodes on the longest chain of dependents after it (0 for a node
     * nothing depends on): how much work, at least, still waits on it.
     */
    public Map<K, Integer> heights() {
        List<K> order = topologicalOrder();
        Map<K, Integer> h = new java.util.HashMap<>();
        for (int i = order.size() - 1; i >= 0; i--) {
            K k = order.get(i);
            int max = 0;
            for (K d : before.get(k)) max = Math.max(max, h.get(d) + 1);
            h.put(k, max);
        }
        return h;
    }

    /** Kahn's algorithm, ties broken by key order so plans print deterministically. */
    public List<K> topologicalOrder() {
        Map<K, Integer> indeg = new LinkedHashMap<>();
        for (K k : after.keySet()) indeg.put(k, after.get(k).size());
        TreeSet<K> ready = new TreeSet<>();
        indeg.forEach((k, d) -> {
            if (d == 0) ready.add(k);
        });
        List<K> out = new ArrayList<>();
        while (!ready.isEmpty()) {
            K k = ready.pollFirst();
            out.add(k);
            for (K d : before.get(k)) {
                int n = indeg.merge(d, -1, Integer::sum);
                if (n == 0) ready.add(d);
            }
        }
        if (out.size() != after.size()) {
            Set<K> placed = new java.util.HashSet<>(out);
            List<K> cycle = after.keySet().stream().filter(k -> !placed.contains(k))
                    .filter(k -> dependents(k).stream().anyMatch(d -> hasPath(d, k))).toList();
            throw new IllegalStateException("dependency cycle among " + cycle);
        }
        return out;
    }
}
